import { realpathSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { DaemonspecError } from '../errors.js';

/*
 * The kernel's fs.protected_fifos and fs.protected_regular rules, applied by daemonspec itself
 * whatever the sysctls say (0 on many systems), to a log it opened: in a sticky world-writable
 * directory (/tmp), a FIFO or regular file that is owned neither by this process's user nor by the
 * directory's owner was made there by another user, who then reads what the daemon logs (a FIFO
 * of theirs also blocks it, or kills it with SIGPIPE when they stop reading): found by an
 * adversarial probe. It is judged on the open fd, so a file planted between a check and the open
 * is caught too.
 */

const STICKY_WORLD_WRITABLE = 0o1002;

/** The directory the opened file sits in: that of `path` with its symlinks resolved. */
function directoryOf(path: string): string {
  try {
    return dirname(realpathSync(path));
  } catch {
    return dirname(path);
  }
}

/** Throws ELOG when the log opened at `path` (its fstat: `opened`) is another user's FIFO or file in a sticky world-writable directory. */
export function checkLogOwner(path: string, opened: Stats, stream: 'stdout' | 'stderr'): void {
  if (!opened.isFIFO() && !opened.isFile()) return;
  const uid = process.geteuid?.() ?? 0;
  if (opened.uid === uid) return;
  const dir = directoryOf(path);
  let dirStat: Stats;
  try {
    dirStat = statSync(dir);
  } catch {
    return;
  }
  if ((dirStat.mode & STICKY_WORLD_WRITABLE) !== STICKY_WORLD_WRITABLE || opened.uid === dirStat.uid) return;
  const kind = opened.isFIFO() ? 'a FIFO' : 'a file';
  throw new DaemonspecError(
    'ELOG',
    `refusing ${stream} log ${path}: it is ${kind} owned by uid ${opened.uid} in the sticky world-writable directory ${dir} (owner uid ${dirStat.uid}), ` +
      `so another user would read what the daemon logs (the kernel's protected_${opened.isFIFO() ? 'fifos' : 'regular'} rule, applied whatever the sysctl says): remove it, or put the log in a directory only you can write`,
    { path, errno: 'EACCES', refused: true },
  );
}
