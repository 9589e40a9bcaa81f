import { usageError } from '../errors.js';
import { isFdOpen } from '../ffi/libc.js';
import { tooManyBelowTen } from '../daemon/validate.js';
import type { FdInfo } from '../inspect/snapshot.js';

/**
 * `--keep-fd N` keeps a descriptor the caller handed to daemonspec: one that is not open is
 * refused in the CLI's words, and so is one that is plainly Node's own: an object of its event
 * loop (epoll, an eventfd, a timerfd, a signalfd, inotify) or one end of a non-blocking pipe whose
 * other end this process holds too (libuv's self-pipe; a caller handing over both ends of a pipe
 * of its own hands them over blocking, as pipe(2) makes them). Node marks every inherited fd
 * close-on-exec at its start, as its own are, so a file, socket or other pipe can still be either
 * (docs/limits.md).
 * `npx` hands its program only fds 0-2: the fd then found at N is Node's.
 */
export function refuseFdsNotHandedOver(fds: readonly number[], openFds: () => readonly FdInfo[]): void {
  const crowded = tooManyBelowTen(fds);
  if (crowded !== null) throw usageError(`--keep-fd: ${crowded}`);
  let open: readonly FdInfo[] | undefined;
  for (const fd of fds) {
    const fix = `open it in the shell that runs daemonspec, e.g. daemonspec run --keep-fd ${fd} -- CMD ${fd}<FILE`;
    if (!isFdOpen(fd)) throw usageError(`--keep-fd: fd ${fd} is not open in this process: ${fix}`);
    open ??= openFds(); // read once, when an fd is open at all
    const own = nodesOwn(fd, open);
    if (own !== null) {
      throw usageError(`--keep-fd: fd ${fd} is Node's own (${own}), not one handed to daemonspec: ${fix} (npx passes on only fds 0-2: run node_modules/.bin/daemonspec)`);
    }
  }
}

/** What `fd` is when it is Node's own (`anon_inode:[eventpoll]`, `a self-pipe`), or null when it may be the caller's. */
function nodesOwn(fd: number, open: readonly FdInfo[]): string | null {
  const info = open.find((f) => f.fd === fd);
  if (info === undefined) return null;
  if (info.kind === 'anon') return info.target;
  if (info.kind !== 'pipe' || info.inode === null || info.nonblocking !== true) return null;
  const otherEnd = open.some((f) => f.fd !== fd && f.kind === 'pipe' && f.inode === info.inode && f.access !== info.access && f.nonblocking === true);
  return otherEnd ? `${info.target}, a non-blocking pipe whose other end it holds too` : null;
}
