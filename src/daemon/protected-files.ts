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

/**
 * The directory (and its owner) when the FIFO or file `stat` of `path` was planted by another
 * user: in a sticky world-writable directory, owned neither by one of `trusted` nor by the
 * directory's owner; else null.
 */
export function plantedBy(path: string, stat: Stats, trusted: readonly number[]): { dir: string; dirOwner: number } | null {
  if (!stat.isFIFO() && !stat.isFile()) return null;
  if (trusted.includes(stat.uid)) return null;
  const dir = directoryOf(path);
  let dirStat: Stats;
  try {
    dirStat = statSync(dir);
  } catch {
    return null;
  }
  if ((dirStat.mode & STICKY_WORLD_WRITABLE) !== STICKY_WORLD_WRITABLE || stat.uid === dirStat.uid) return null;
  return { dir, dirOwner: dirStat.uid };
}

/**
 * Throws ELOG when the log opened at `path` (its fstat: `opened`) is another user's FIFO or file
 * in a sticky world-writable directory: neither this process's user nor `daemonUid`, the user the
 * daemon runs as (its own log from an earlier run is its to write).
 */
export function checkLogOwner(path: string, opened: Stats, stream: 'stdout' | 'stderr', daemonUid: number): void {
  const planted = plantedBy(path, opened, [process.geteuid?.() ?? 0, daemonUid]);
  if (planted === null) return;
  const { dir, dirOwner } = planted;
  const kind = opened.isFIFO() ? 'a FIFO' : 'a file';
  throw new DaemonspecError(
    'ELOG',
    `refusing ${stream} log ${path}: it is ${kind} owned by uid ${opened.uid} in the sticky world-writable directory ${dir} (owner uid ${dirOwner}), ` +
      `so another user would read what the daemon logs (the kernel's protected_${opened.isFIFO() ? 'fifos' : 'regular'} rule, applied whatever the sysctl says): remove it, or put the log in a directory only you can write`,
    { path, errno: 'EACCES', refused: true },
  );
}
