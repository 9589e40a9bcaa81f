import { closeSync, fchmodSync, fstatSync, lstatSync, openSync, readSync, unlinkSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { DaemonspecError } from '../errors.js';
import { O } from '../ffi/constants.js';
import { DEFAULT_HINTS } from '../ffi/errno.js';
import { clearNonblock } from '../ffi/libc.js';
import { fileOpeners } from '../inspect/processes.js';
import { checkLogOwner } from './protected-files.js';
import { checkLogSymlinks, endsInSymlink } from './protected-symlinks.js';

/** A log opened by the original process, to be placed at fd 1 or 2 of the daemon. */
export interface LogFile {
  path: string;
  fd: number;
  /** Size when opened: what the daemon writes from there on is its own output. */
  startSize: number;
  regular: boolean;
  /** Made by this open (none stood at the path): a start refused before it began removes it again. */
  created: boolean;
}

/**
 * Opens a log for appending. Created with mode 0640 whatever the umask (fchmod after creation);
 * never truncated; a symlink is followed on purpose (logs are often links into /var/log), except
 * one another user planted in a sticky world-writable directory (src/daemon/protected-symlinks.ts),
 * and so is a file or FIFO another user made there (src/daemon/protected-files.ts).
 * Opened O_NONBLOCK so a FIFO with no reader fails at once (ENXIO) instead of waiting forever for
 * one; the flag is then cleared, so the daemon's writes block as on any pipe or file.
 */
export function openLog(path: string, stream: 'stdout' | 'stderr', daemonUid: number = process.geteuid?.() ?? 0): LogFile {
  checkLogSymlinks(path, stream);
  // A last component that was no symlink when judged must not become one before the open.
  const noFollow = endsInSymlink(path) ? 0 : O.NOFOLLOW;
  const flags = O.WRONLY | O.APPEND | O.CREAT | O.NONBLOCK;
  let fd: number;
  // Made here only if the exclusive open made it: two starts racing for one log both saw it
  // missing, and the loser removed the winner's live log (a review).
  let created = true;
  try {
    fd = openSync(path, flags | O.EXCL | O.NOFOLLOW, 0o640);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw openError(path, stream, error);
    created = false;
    try {
      fd = openSync(path, flags | noFollow, 0o640);
    } catch (again) {
      throw openError(path, stream, again);
    }
  }
  let stat: Stats;
  try {
    stat = fstatSync(fd);
    checkLogOwner(path, stat, stream, daemonUid);
    clearNonblock(fd);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  if (created) fchmodSync(fd, 0o640);
  return { path, fd, startSize: stat.isFile() ? stat.size : 0, regular: stat.isFile(), created };
}

/**
 * A start refused before it began leaves no log behind: removes the log if this start made it,
 * it is still the file at its path, still empty, and no other process has it open (another
 * start that opened it meanwhile keeps it). Then closes it.
 */
export function discardLog(log: LogFile | null): void {
  if (log?.created) {
    try {
      const ours = fstatSync(log.fd);
      const there = lstatSync(log.path);
      const others = fileOpeners(log.path).some((opener) => opener.pid !== process.pid);
      if (ours.size === 0 && there.ino === ours.ino && there.dev === ours.dev && !others) unlinkSync(log.path);
    } catch {
      // gone already, or not ours to remove
    }
  }
  closeLog(log);
}

function openError(path: string, stream: 'stdout' | 'stderr', error: unknown): DaemonspecError {
  const errno = (error as NodeJS.ErrnoException).code ?? 'EIO';
  if (errno === 'ENXIO') {
    return new DaemonspecError('ELOG', `cannot open ${stream} log: ${path} is a FIFO with no reader; start the reader first (or log to a file)`, { path, errno });
  }
  const hint = path.endsWith('/')
    ? 'the path ends with a slash: give a file path (the seed article\'s "/dev/null/" default fails this way)'
    : errno === 'ENOENT'
      ? `create the directory ${dirname(path)} first`
      : errno === 'EISDIR'
        ? 'it is a directory: give a file path'
        : errno === 'ENOTDIR'
          ? 'a component of the path is not a directory (a trailing slash?)'
          : errno === 'ELOOP'
            ? 'it became a symbolic link while it was opened: check who writes in its directory'
            : (DEFAULT_HINTS[errno] ?? 'check the file and its directory are writable');
  return new DaemonspecError('ELOG', `cannot open ${stream} log ${path} for appending (${errno}): ${hint}`, { path, errno, cause: error });
}

/** What the daemon wrote to a log since the start, last `max` bytes: its own error for the message. */
export function logTail(log: LogFile | null, max = 4000): string {
  if (!log || !log.regular) return '';
  let fd: number;
  try {
    fd = openSync(log.path, O.RDONLY);
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const from = Math.max(log.startSize, size - max);
    if (size <= from) return '';
    const buffer = Buffer.alloc(size - from);
    readSync(fd, buffer, 0, buffer.length, from);
    return buffer.toString('utf8').trimEnd();
  } finally {
    closeSync(fd);
  }
}

export function closeLog(log: LogFile | null): void {
  if (log) {
    try {
      closeSync(log.fd);
    } catch {
      // already closed
    }
  }
}
