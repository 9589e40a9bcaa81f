/**
 * A caller environment full of traps, built from a generated plan, and the process that runs in
 * it: leaked fds at arbitrary numbers (a file or a pipe, up to RLIMIT_NOFILE-1), blocked and
 * ignored signals, a umask, a cwd, with or without a controlling terminal. The caller is spawned
 * through posix_spawn (src/ffi/spawn.ts) and `sh`, which sets the ignores and the umask and
 * execs the real caller (the CLI or a Node script).
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { O } from '../../../src/ffi/constants.js';
import { close, pipe, reap } from '../../../src/ffi/libc.js';
import { openPty } from '../../../src/ffi/pty.js';
import { spawn, type FileAction } from '../../../src/ffi/spawn.js';

/** Standard signals but SIGKILL/SIGSTOP, and the real-time ones but glibc's internal 32 and 33. */
export const TRAPPABLE_SIGNALS = [...Array.from({ length: 31 }, (_, i) => i + 1).filter((n) => n !== 9 && n !== 19), ...Array.from({ length: 31 }, (_, i) => i + 34)];

/** The highest fd number a process may use here (RLIMIT_NOFILE is 20000 and cannot be raised). */
export const MAX_FD = 19_999;

export interface LeakedFd {
  fd: number;
  kind: 'file' | 'pipe';
  /** Marked FD_CLOEXEC by the caller itself (only a Node caller script can: see caller.mjs). */
  cloexec: boolean;
}

export interface CallerPlan {
  leaked: LeakedFd[];
  blocked: number[];
  ignored: number[];
  umask: number;
  /** Index into the caller's candidate working directories. */
  cwd: number;
  /** Session of the caller: a fresh one owning a pty, a fresh one without a terminal, or the test's. */
  terminal: 'pty' | 'setsid' | 'none';
}

export const callerPlan: fc.Arbitrary<CallerPlan> = fc.record({
  leaked: fc.uniqueArray(fc.record({ fd: fc.integer({ min: 3, max: MAX_FD }), kind: fc.constantFrom('file' as const, 'pipe' as const), cloexec: fc.boolean() }), {
    selector: (l) => l.fd,
    maxLength: 64,
  }),
  blocked: fc.subarray(TRAPPABLE_SIGNALS),
  ignored: fc.subarray(TRAPPABLE_SIGNALS),
  umask: fc.integer({ min: 0, max: 0o777 }),
  cwd: fc.nat({ max: 2 }),
  terminal: fc.constantFrom('pty' as const, 'setsid' as const, 'none' as const),
});

export interface CallerRun {
  pid: number;
  exitCode: number | null;
  signal: number | null;
  stdout: string;
  stderr: string;
  /** The leaked fds actually set up (those colliding with our own source fds are left out). */
  leaked: LeakedFd[];
  /** Identities of the leaked objects: the file's (dev, ino), the pipe's inode. */
  leakFile: { dev: number; ino: number };
  leakPipeInode: number;
  /** Whether the caller led its own session (then the daemon must be in neither). */
  ownSession: boolean;
}

export interface CallerSetup {
  plan: CallerPlan;
  argv: readonly string[];
  env: Record<string, string>;
  cwd: string;
  leakPath: string;
  outputPrefix: string;
}

/** Runs the caller to its exit. Every fd the test opened for it is closed again. */
export async function runCaller(setup: CallerSetup): Promise<CallerRun> {
  const { plan } = setup;
  const leakFd = openSync(setup.leakPath, 'a');
  const [pipeR, pipeW] = pipe();
  const pty = plan.terminal === 'pty' ? openPty() : null;
  let open = true;
  const closeOurs = (): void => {
    if (!open) return;
    open = false;
    closeSync(leakFd);
    close(pipeW);
    close(pipeR);
  };
  try {
    const sources = new Set([leakFd, pipeW]);
    const leaked = plan.leaked.filter((l) => !sources.has(l.fd));
    const actions: FileAction[] = [
      ...leaked.map((l): FileAction => ({ op: 'dup2', from: l.kind === 'file' ? leakFd : pipeW, to: l.fd })),
      pty ? { op: 'open', fd: 0, path: pty.slavePath, flags: O.RDWR } : { op: 'open', fd: 0, path: '/dev/null', flags: O.RDONLY },
      { op: 'open', fd: 1, path: `${setup.outputPrefix}.out`, flags: O.WRONLY | O.CREAT | O.TRUNC, mode: 0o644 },
      { op: 'open', fd: 2, path: `${setup.outputPrefix}.err`, flags: O.WRONLY | O.CREAT | O.TRUNC, mode: 0o644 },
    ];
    const traps = [plan.ignored.length > 0 ? `trap '' ${plan.ignored.join(' ')}` : ':', `umask ${plan.umask.toString(8).padStart(3, '0')}`, 'exec "$@"'].join('; ');
    const pid = spawn({
      path: '/bin/sh',
      argv: ['sh', '-c', traps, 'caller', ...setup.argv],
      env: setup.env,
      cwd: setup.cwd,
      // After setsid, opening the pty slave makes it the caller's controlling terminal.
      ...(plan.terminal === 'none' ? { pgroup: 0 } : { setsid: true }),
      blockedSignals: plan.blocked,
      fileActions: actions,
    });
    const leakStat = fstatSync(leakFd);
    const pipeInode = fstatSync(pipeW).ino;
    closeOurs();
    const result = await reap(pid);
    return {
      pid,
      exitCode: result.exitCode,
      signal: result.signal,
      stdout: readFileSync(`${setup.outputPrefix}.out`, 'utf8'),
      stderr: readFileSync(`${setup.outputPrefix}.err`, 'utf8'),
      leaked,
      leakFile: { dev: leakStat.dev, ino: leakStat.ino },
      leakPipeInode: pipeInode,
      ownSession: plan.terminal !== 'none',
    };
  } finally {
    closeOurs();
    // Closing the master hangs the terminal up: the caller has exited, its session is empty.
    if (pty) close(pty.master);
  }
}
