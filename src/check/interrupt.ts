import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { descendantsOf, type ProcessSummary, processSummary } from '../inspect/index.js';
import { dismissCaretaker, startCaretaker } from './caretaker.js';
import { isolatedRunners, liveContainers } from './isolated-runners.js';
import { askToEnd, signalQuietly, sweep } from './sweep.js';

/** How long an interrupt goes on finding processes that a killed one forked just before it died. */
const KILL_DEADLINE_MS = 2000;
/** How long the processes that catch SIGTERM get to end (remove their pidfiles) before SIGKILL. */
const TERM_GRACE_MS = 1000;
/** How long the checks in child processes and containers get to clean up after themselves. */
const RUNNERS_DEADLINE_MS = 10_000;
/** How long `docker rm -f` of the containers left gets. */
const CONTAINERS_DEADLINE_MS = 15_000;

let interruptedBy: NodeJS.Signals | null = null;
/** The processes an interrupt has sent SIGTERM to: a second signal's SIGKILL counts them too. */
const askedToEnd = new Set<number>();

/** Whether an interrupt is being handled: start nothing new, write nothing (the handler exits). */
export function interrupted(): boolean {
  return interruptedBy !== null;
}

/**
 * Passes `name` on to the checks running in child processes or containers (a `docker run`
 * client passes it into its container; `unshare --fork` passes nothing on, so the checker below
 * it, a Node like this one, is signalled itself), and waits up to 10 s for them to end: they
 * clean up after themselves.
 */
async function stopRunners(name: NodeJS.Signals): Promise<void> {
  const node = processSummary(process.pid)?.name;
  const signalled = new Set<number>();
  const deadline = Date.now() + RUNNERS_DEADLINE_MS;
  while (isolatedRunners.size > 0 && Date.now() < deadline) {
    for (const runner of isolatedRunners) {
      if (signalled.has(runner)) continue;
      signalled.add(runner);
      signalQuietly(runner, name);
      for (const checker of descendantsOf(runner).filter((p) => p.name === node)) signalQuietly(checker.pid, name);
    }
    await sleep(20);
  }
}

/** `docker rm -f` of the containers still there (a checker that had not set its handler yet, a shell as PID 1, ignore the signal). */
function removeContainers(): void {
  if (liveContainers.size === 0) return;
  spawnSync('docker', ['rm', '-f', ...liveContainers], { stdio: 'ignore', timeout: CONTAINERS_DEADLINE_MS });
}

function removeDirs(dirs: Iterable<string>): void {
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // one that cannot go must not keep the others
    }
  }
}

export interface InterruptCleanup {
  /** The command, as the one line on stderr names it. */
  command: 'check' | 'fuzz' | 'matrix';
  /** The processes it started, to SIGKILL once its child checkers have ended. */
  ours: (p: ProcessSummary) => boolean;
  /** The temporary directories in use, to remove. */
  dirs: () => Iterable<string>;
}

/**
 * Ctrl-C, a job's or a service manager's stop, the terminal closed. (An ignore inherited from
 * `nohup` or a shell's background job is not there to respect: Node sets every disposition back
 * to the default at its start, SIGPIPE and SIGXFSZ ignored; measured: `env --ignore-signal=HUP
 * node` shows only those two in SigIgn.)
 */
const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Stops everything `cleanup` names, says so in one line and exits 130. */
function finish(cleanup: InterruptCleanup, name: NodeJS.Signals): never {
  removeContainers();
  const stopped = new Set([...askedToEnd, ...sweep(cleanup.ours, KILL_DEADLINE_MS)]).size;
  removeDirs(cleanup.dirs());
  try {
    // On a terminal the line may follow a progress line (the matrix's): clear it first.
    const clear = process.stderr.isTTY === true ? '\r\x1b[K' : '';
    process.stderr.write(`${clear}daemonspec: ${cleanup.command} interrupted by ${name}; stopped ${stopped} process${stopped === 1 ? '' : 'es'} it had started\n`);
  } catch {
    // a terminal that hung up: nobody to tell
  }
  process.exit(130);
}

/** SIGTERM to the processes `ours` picks, and up to TERM_GRACE_MS for those that catch it. */
function askOursToEnd(cleanup: InterruptCleanup): Promise<void> {
  return askToEnd(cleanup.ours, TERM_GRACE_MS, askedToEnd);
}

/**
 * Until the returned function is called: on SIGINT, SIGTERM or SIGHUP, the checks in child processes and
 * containers get the signal and up to 10 s to end, every process `ours` picks gets SIGTERM and,
 * if it catches it, up to 1 s to end (a daemon removes its own pidfile), then containers still
 * there are removed, every process `ours` picks is SIGKILLed, `dirs()` are removed, one line on
 * stderr says so, and the process exits 130. A second signal waits for none of it. Meanwhile
 * interrupted() is true: the command starts nothing new and writes no output. An interrupted
 * command leaves nothing running and no temporary directory behind.
 */
function cleanUpOnInterrupt(cleanup: InterruptCleanup): () => void {
  const handler = (name: NodeJS.Signals): void => {
    if (interruptedBy !== null) finish(cleanup, interruptedBy);
    interruptedBy = name;
    void stopRunners(name)
      .then(() => askOursToEnd(cleanup))
      .finally(() => finish(cleanup, name));
  };
  for (const name of INTERRUPTS) process.on(name, handler);
  return () => {
    // Once interrupted, the handler stays: it is what ends the process.
    if (interruptedBy !== null) return;
    for (const name of INTERRUPTS) process.off(name, handler);
  };
}

/** What a command awaits instead of its output or its error once interrupted: the handler ends the process. */
function untilInterruptEnds(): Promise<never> {
  return new Promise<never>(() => undefined);
}

/**
 * Runs a command's `work` with cleanUpOnInterrupt(cleanup) in place, and a caretaker that cleans
 * up should this process be killed with SIGKILL. Once interrupted it never
 * settles, neither with the result nor with an error (runs refused after the signal): the
 * handler's one line is all the command prints.
 */
export async function interruptible<T>(cleanup: InterruptCleanup, work: () => Promise<T>): Promise<T> {
  // SIGKILL runs no handler: the caretaker cleans up then (caretaker.ts).
  startCaretaker();
  const dispose = cleanUpOnInterrupt(cleanup);
  try {
    const result = await work();
    if (interrupted()) return await untilInterruptEnds();
    return result;
  } catch (error) {
    if (interrupted()) return await untilInterruptEnds();
    throw error;
  } finally {
    dispose();
    if (!interrupted()) dismissCaretaker();
  }
}
