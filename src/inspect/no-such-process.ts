import { DaemonspecError } from '../errors.js';

/**
 * The one error for "that process is not there": it never existed, exited, or exited while
 * being read (a pid reused mid-read counts as gone too). Code `ESYSCALL` with errno `ESRCH`,
 * as kill(2) would say, and the pid: callers switch on `errno === 'ESRCH'`.
 */
export function noSuchProcess(pid: number, cause?: unknown): DaemonspecError {
  return new DaemonspecError('ESYSCALL', `no process with pid ${pid} (it does not exist, or it exited)`, {
    errno: 'ESRCH',
    syscall: 'inspect',
    pid,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Whether `error` is the no-such-process error above. */
export function isNoSuchProcess(error: unknown): boolean {
  return error instanceof DaemonspecError && error.errno === 'ESRCH';
}

/** Rejects what cannot be a pid (0, negative, fractional, NaN) before any lookup. */
export function assertPid(pid: number): void {
  if (!Number.isSafeInteger(pid) || pid <= 0) {
    throw new DaemonspecError('EUSAGE', `not a process id: ${String(pid)} (give a positive integer)`, { refused: true });
  }
}
