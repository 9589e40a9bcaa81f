/**
 * Runs the steps daemon the way a user's shell would, with traps the steps must undo: umask 077,
 * SIGUSR1 blocked, SIGUSR2 ignored, stdin a file, a non-CLOEXEC file leaked at fd 9, cwd the work
 * directory. Reads what the steps did from /proc. Every process started here carries the work
 * directory in its environment (STEPS_TAG): whatever of it is still running when the test
 * finishes is killed, daemons included.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished, vi } from 'vitest';
import { O } from '../../src/ffi/constants.js';
import { kill, processExists, reap, type WaitResult } from '../../src/ffi/libc.js';
import { spawn } from '../../src/ffi/spawn.js';
import { hasEnvMarker, isRunning } from '../../src/inspect/index.js';
import { stepsCommand, type Step } from '../support/steps.js';
import { testDir } from '../support/temp-dir.js';
import { killUntilGone } from '../support/wait.mjs';

export const LEAK_FD = 9;
/** The environment variable that tags every process of a test with its work directory. */
const STEPS_TAG = 'DAEMONSPEC_STEPS_TAG';
const SIGUSR1 = 10;

export interface Launched {
  /** The original process (our child). */
  pid: number;
  work: string;
  leakPath: string;
  stdinTrap: string;
  launcherLog: string;
  /** Reaps the original (once; later calls share the result). Not before it is asked for. */
  exited(): Promise<WaitResult>;
}

export function workDir(): string {
  const work: string = testDir('steps-', () => killTagged(work));
  return work;
}

/** Live processes tagged with `work` (zombies have no environment left: they do not count). */
function tagged(work: string): number[] {
  return readdirSync('/proc')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid !== process.pid && hasEnvMarker(pid, STEPS_TAG, work) === true);
}

/** SIGKILLs every process tagged with `work`, again while a forking one leaves new ones behind. */
export async function killTagged(work: string): Promise<void> {
  const left = await killUntilGone(() => tagged(work), (pid) => pid, { signal: 'SIGKILL', timeoutMs: 10_000, intervalMs: 5 });
  if (left.length > 0) throw new Error(`processes of ${work} survive SIGKILL: ${left.join(', ')}`);
}

export function launch(steps: readonly Step[], work: string, opts: { pgroupLeader?: boolean } = {}): Launched {
  const leakPath = join(work, 'leak');
  const stdinTrap = join(work, 'stdin-trap');
  const launcherLog = join(work, 'launcher.log');
  writeFileSync(leakPath, '');
  writeFileSync(stdinTrap, '');
  const [program, ...args] = stepsCommand(steps);
  const pid = spawn({
    path: '/bin/sh',
    argv: ['sh', '-c', 'trap "" USR2; umask 077; exec "$@"', 'sh', program!, ...args],
    env: { ...process.env, [STEPS_TAG]: work },
    cwd: work,
    blockedSignals: [SIGUSR1],
    defaultSignals: 'all',
    ...(opts.pgroupLeader ? { pgroup: 0 } : {}),
    fileActions: [
      { op: 'open', fd: 0, path: stdinTrap, flags: O.RDONLY },
      { op: 'open', fd: 1, path: launcherLog, flags: O.WRONLY | O.CREAT | O.APPEND, mode: 0o644 },
      { op: 'dup2', from: 1, to: 2 },
      { op: 'open', fd: LEAK_FD, path: leakPath, flags: O.RDONLY },
    ],
    closeOtherFds: true,
  });
  let exited: Promise<WaitResult> | undefined;
  const reapOnce = (): Promise<WaitResult> => (exited ??= reap(pid));
  onTestFinished(async () => {
    if (processExists(pid)) kill(pid, 9); // a zombie counts as existing: harmless
    await reapOnce();
  });
  return { pid, work, leakPath, stdinTrap, launcherLog, exited: reapOnce };
}

export function waitExit(launched: Launched): Promise<WaitResult> {
  return launched.exited();
}

export { procView as view, sigBit, type ProcView } from '../support/proc.js';

export { isRunning };

/** Waits for the pidfile and returns the pid it names. */
export async function pidFrom(pidfile: string): Promise<number> {
  return vi.waitFor(
    () => {
      const text = readFileSync(pidfile, 'utf8');
      if (!/^\d+\n$/.test(text)) throw new Error(`pidfile ${pidfile} holds ${JSON.stringify(text)}`);
      return Number(text);
    },
    { timeout: 10_000, interval: 10 },
  );
}

export async function stop(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  await vi.waitFor(
    () => {
      if (isRunning(pid)) throw new Error(`daemon ${pid} still alive after SIGTERM`);
    },
    { timeout: 10_000, interval: 10 },
  );
}
