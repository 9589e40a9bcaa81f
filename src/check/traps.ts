import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DaemonspecError } from '../errors.js';
import { closeQuietly, dupAtLeast, pipe, setCloexec } from '../ffi/libc.js';
import { CHECKER_FDS_FROM } from './fd-layout.js';
import { openFdOf } from '../inspect/processes.js';

/**
 * The leaked-fd traps the launcher hands to the command, which a well-behaved daemon closes.
 * Their numbers are drawn per run (trap-pools.ts), below 1024 so select()-era code still sees
 * them; they are recognised by identity (device + inode), never by number: a runtime reuses
 * numbers for its own pipes and event fds, and a daemon may dup a trap elsewhere.
 */
export const MARKER_NAME = 'DAEMONSPEC_CHECK_ID';

export interface TrapObject {
  /**
   * 'pipe' (an end of a pipe whose other end the checker holds), 'file', and for a planted
   * caller (caller-plant.ts) also 'socket', 'eventfd' (recognised by number: every eventfd
   * shares one anonymous inode) and 'tty' (the terminal; judged on fds above 2 only).
   */
  kind: 'pipe' | 'file' | 'socket' | 'eventfd' | 'tty';
  /** The fd number the launcher gave it. */
  fd: number;
  device: number;
  inode: number;
  /** What inspect shows for it: `pipe:[inode]`, `socket:[inode]` (macOS: `pipe:[pipe_handle]`, `socket:[soi_so]`) or the path. */
  target: string;
}

export interface Traps {
  objects: TrapObject[];
  /** Checker-side fds to hand to the launcher with dup2 (source → trap fd number). */
  handOver: { from: number; to: number }[];
  /** Closes the checker's copies (call once the launcher is spawned, and again on failure: idempotent). */
  release(): void;
}

/**
 * Moves an fd to a close-on-exec copy at or above `from` (src/check/fd-layout.ts: above every
 * trap number, so no dup2 onto a trap overwrites one). Where no number that high is free, keeps
 * it where it is, close-on-exec: a trap number drawn equal to it is then the only collision left.
 */
export function lift(fd: number, from = CHECKER_FDS_FROM): number {
  let copy: number;
  try {
    copy = dupAtLeast(fd, from);
  } catch {
    setCloexec(fd, true);
    return fd;
  }
  closeQuietly(fd);
  return copy;
}

/**
 * The identity of one of this process's fds, read the way the daemon's fds are read: inspect's
 * own reader on this process (Linux /proc/self/fd; macOS proc_pidfdinfo), so a trap and the
 * daemon's copy of it are named by one source. fstat would not do on macOS: a unix socket's
 * st_ino is unp->unp_ino, a counter (xnu bsd/kern/uipc_usrreq.c uipc_sense(), st_dev NODEV),
 * whereas proc_pidfdinfo names it by soi_so, VM_KERNEL_ADDRHASH(so) (bsd/kern/socket_info.c
 * fill_common_sockinfo()); a pipe's st_ino is pipe_handle (sys_pipe.c pipe_stat() and
 * fill_pipeinfo()) but needs 64 bits; a file's path is the resolved one (/private/var/...).
 */
export function trapIdentity(fd: number, kind: TrapObject['kind'], at: number): TrapObject {
  const seen = openFdOf(process.pid, fd);
  if (seen === null) throw new DaemonspecError('ECHECK', `cannot read this process's own fd ${fd} (pid ${process.pid}) to name a trap`);
  // Pipes and sockets on macOS have no device and inode there: they are matched by target.
  return { kind, fd: at, device: seen.device ?? 0, inode: seen.inode ?? 0, target: seen.target };
}

/** Creates the leaked-fd traps, a pipe write end and a regular file in `workDir`, at the given numbers; the checker's copies at `checkerFrom` and up. */
export function createTraps(workDir: string, numbers: { pipe: number; file: number }, checkerFrom: number = CHECKER_FDS_FROM): Traps {
  // Close-on-exec copies: they must not leak into anything else this Node process spawns.
  const [rawRead, rawWrite] = pipe();
  const readFd = lift(rawRead, checkerFrom);
  const writeFd = lift(rawWrite, checkerFrom);
  const path = join(workDir, 'leaked-trap-file');
  writeFileSync(path, 'daemonspec: a daemon that still holds this file leaked an inherited fd\n');
  const fileFd = lift(openSync(path, 'r'), checkerFrom);
  let open = true;
  return {
    objects: [trapIdentity(writeFd, 'pipe', numbers.pipe), trapIdentity(fileFd, 'file', numbers.file)],
    handOver: [
      { from: writeFd, to: numbers.pipe },
      { from: fileFd, to: numbers.file },
    ],
    release() {
      if (!open) return;
      open = false;
      closeQuietly(readFd);
      closeQuietly(writeFd);
      closeQuietly(fileFd);
    },
  };
}
