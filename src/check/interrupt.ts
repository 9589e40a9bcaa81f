import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ProcessSummary, processesWhere } from '../inspect/index.js';
import { isolatedRunners } from './isolated-runners.js';

/** How long an interrupt goes on finding processes that a killed one forked just before it died. */
const KILL_DEADLINE_MS = 2000;
/** How long the checks in child processes and containers get to clean up after themselves. */
const RUNNERS_DEADLINE_MS = 10_000;

/**
 * SIGKILLs every live process `ours` picks (never this one), scanning again until a scan finds
 * none: a process killed in the middle of a fork (a daemonizer's first fork) may leave a child
 * the first scan did not see, which would run on. Returns how many processes were signalled.
 */
export function killEvery(ours: (p: ProcessSummary) => boolean): number {
  const stopped = new Set<number>();
  const deadline = Date.now() + KILL_DEADLINE_MS;
  for (;;) {
    const found = processesWhere((p) => p.pid !== process.pid && p.state !== 'Z' && ours(p));
    if (found.length === 0 || Date.now() > deadline) return stopped.size;
    for (const p of found) {
      stopped.add(p.pid);
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
}

/** Passes `signal` on to the checks running in child processes or containers, and waits for them (they clean up after themselves). */
async function stopRunners(signal: NodeJS.Signals): Promise<void> {
  for (const pid of isolatedRunners) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
  const deadline = Date.now() + RUNNERS_DEADLINE_MS;
  while (isolatedRunners.size > 0 && Date.now() < deadline) await sleep(20);
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
 * Until the returned function is called: on SIGINT or SIGTERM, the checks in child processes and
 * containers get the signal and up to 10 s to end, then every process `ours` picks is SIGKILLed,
 * `dirs()` are removed, one line on stderr says so, and the process exits 130. An interrupted
 * command leaves nothing running and no temporary directory behind.
 */
export function cleanUpOnInterrupt(cleanup: InterruptCleanup): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    void stopRunners(signal).then(() => {
      const stopped = killEvery(cleanup.ours);
      for (const dir of cleanup.dirs()) rmSync(dir, { recursive: true, force: true });
      process.stderr.write(`daemonspec: ${cleanup.command} interrupted by ${signal}; stopped ${stopped} process${stopped === 1 ? '' : 'es'} it had started\n`);
      process.exit(130);
    });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
