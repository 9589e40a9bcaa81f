/**
 * Runs the steps daemon the way a user's shell would, with traps the steps must undo: umask 077,
 * SIGUSR1 blocked, SIGUSR2 ignored, stdin a file, a non-CLOEXEC file leaked at fd 9, cwd the work
 * directory. Reads what the steps did from /proc. Every process whose command line names the
 * work directory is killed when the test finishes.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished, vi } from 'vitest';
import { O } from '../../src/ffi/constants.js';
import { reap, reapNow, type WaitResult } from '../../src/ffi/libc.js';
import { spawn } from '../../src/ffi/spawn.js';
import { stepsCommand, type Step } from '../support/steps.js';

export const LEAK_FD = 9;
const SIGUSR1 = 10;

export interface Launched {
  /** The original process (our child). */
  pid: number;
  work: string;
  leakPath: string;
  stdinTrap: string;
  launcherLog: string;
}

export function workDir(): string {
  const work = mkdtempSync(join(tmpdir(), 'steps-'));
  onTestFinished(() => killNamed(work));
  return work;
}

/** SIGKILL every process whose command line mentions `needle` (the test's work directory). */
export function killNamed(needle: string): void {
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(needle)) process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
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
    env: process.env,
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
  onTestFinished(() => {
    try {
      process.kill(pid, 'SIGKILL');
      reapNow(pid);
    } catch {
      // already reaped
    }
  });
  return { pid, work, leakPath, stdinTrap, launcherLog };
}

export function waitExit(launched: Launched): Promise<WaitResult> {
  return reap(launched.pid);
}

export { procView as view, sigBit, type ProcView } from '../support/proc.js';

/** Alive: exists and is not a zombie. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

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
      if (alive(pid)) throw new Error(`daemon ${pid} still alive after SIGTERM`);
    },
    { timeout: 10_000, interval: 10 },
  );
}
