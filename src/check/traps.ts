import { closeSync, fstatSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeQuietly, pipe, setCloexec } from '../ffi/libc.js';
import { signalNumber } from '../ffi/constants.js';

/**
 * The traps the launcher sets before it runs the command, which a well-behaved daemon undoes.
 * Leaked fds are put at high numbers (below 1024, so select()-era code still sees them) and
 * are later recognised by identity (device + inode), never by number: a runtime reuses low
 * numbers for its own pipes and event fds, and a daemon may dup a trap elsewhere.
 */
export const TRAP_PIPE_FD = 57;
export const TRAP_FILE_FD = 211;
export const TRAP_BLOCKED_SIGNAL = signalNumber('SIGUSR1')!;
export const TRAP_IGNORED_SIGNAL = signalNumber('SIGUSR2')!;
export const TRAP_UMASK = 0o077;
export const MARKER_NAME = 'DAEMONSPEC_CHECK_ID';

export interface TrapObject {
  /** 'pipe' (the write end of a pipe whose read end the checker holds) or 'file'. */
  kind: 'pipe' | 'file';
  /** The fd number the launcher gave it. */
  fd: number;
  device: number;
  inode: number;
  /** What /proc shows for it: `pipe:[inode]` or the path. */
  target: string;
}

export interface Traps {
  objects: TrapObject[];
  /** Checker-side fds to hand to the launcher with dup2 (source → trap fd number). */
  handOver: { from: number; to: number }[];
  /** Closes the checker's copies (call once the launcher is spawned, and again on failure: idempotent). */
  release(): void;
}

/** Creates the leaked-fd traps: a pipe write end and a regular file in `workDir`. */
export function createTraps(workDir: string): Traps {
  const [readFd, writeFd] = pipe();
  // The checker's copies must not leak into anything else this Node process spawns.
  setCloexec(readFd, true);
  setCloexec(writeFd, true);
  const path = join(workDir, 'leaked-trap-file');
  writeFileSync(path, 'daemonspec: a daemon that still holds this file leaked an inherited fd\n');
  const fileFd = openSync(path, 'r'); // Node opens with O_CLOEXEC
  const pipeStat = fstatSync(writeFd);
  const fileStat = fstatSync(fileFd);
  let open = true;
  return {
    objects: [
      { kind: 'pipe', fd: TRAP_PIPE_FD, device: pipeStat.dev, inode: pipeStat.ino, target: `pipe:[${pipeStat.ino}]` },
      { kind: 'file', fd: TRAP_FILE_FD, device: fileStat.dev, inode: fileStat.ino, target: path },
    ],
    handOver: [
      { from: writeFd, to: TRAP_PIPE_FD },
      { from: fileFd, to: TRAP_FILE_FD },
    ],
    release() {
      if (!open) return;
      open = false;
      closeQuietly(readFd);
      closeQuietly(writeFd);
      closeSync(fileFd);
    },
  };
}
