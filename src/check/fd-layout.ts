import { DaemonspecError } from '../errors.js';
import { openFileLimits } from '../ffi/libc.js';

/*
 * Where the checker's fds go. The leaked-fd traps are drawn from 10 up (above what a shell or a
 * runtime opens first); the checker's own copies of what it hands over sit above every trap
 * number, so that no dup2 among the caller's file actions overwrites a source. Under the usual
 * limits (Node raises its soft RLIMIT_NOFILE to the hard one, 1024 and up) the traps stay below
 * 1000, where select() still sees them, and the copies go to 1024 and up. Under a lower hard
 * limit (a container's --ulimit nofile=512) both move down inside it: the traps were drawn up to
 * 999 there, and the spawn failed with EBADF.
 */

/** Where the checker's copies go under the usual limits. */
export const CHECKER_FDS_FROM = 1024;
/** The highest trap number under the usual limits. */
const USUAL_TRAP_MAX = 999;
/** The numbers kept for the checker's own copies under a low limit. */
const CHECKER_FDS_ROOM = 64;
/** Below this, too few numbers are left for the traps to be drawn from. */
export const MIN_FD_LIMIT = 256;

export interface FdLayout {
  /** The highest number a leaked-fd trap is drawn at. */
  trapMax: number;
  /** The checker's copies go at or above this number. */
  checkerFrom: number;
}

/** The soft and hard RLIMIT_NOFILE of this process (getrlimit: on macOS too); unlimited counts as 2^20. */
export function ownOpenFileLimits(): { soft: number; hard: number } {
  const limits = openFileLimits();
  const n = (v: number): number => (Number.isFinite(v) ? v : 1 << 20);
  return { soft: n(limits.soft), hard: n(limits.hard) };
}

/** The layout under a soft limit of `limit` open files. */
export function fdLayoutFor(limit: number): FdLayout {
  if (limit >= CHECKER_FDS_FROM + CHECKER_FDS_ROOM) return { trapMax: USUAL_TRAP_MAX, checkerFrom: CHECKER_FDS_FROM };
  if (limit < MIN_FD_LIMIT) {
    throw new DaemonspecError(
      'EUSAGE',
      `the check needs a limit of at least ${MIN_FD_LIMIT} open files, and this process has ${limit} (RLIMIT_NOFILE): raise it (ulimit -n 1024; docker run --ulimit nofile=1024)`,
      { refused: true },
    );
  }
  return { trapMax: limit - CHECKER_FDS_ROOM - 1, checkerFrom: limit - CHECKER_FDS_ROOM };
}

/** This process's layout; refused (EUSAGE) under a limit below MIN_FD_LIMIT. */
export function fdLayout(): FdLayout {
  return fdLayoutFor(ownOpenFileLimits().soft);
}
