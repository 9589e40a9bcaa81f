import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { DaemonspecError } from '../errors.js';
import { untrustedSymlink } from './protected-symlinks.js';

/*
 * Whether a pidfile can be believed before a pid in it is signalled or reported. A user other than
 * the caller (or root) who can write the file, or replace it (write its directory, or any
 * directory above), can make it name any process, and hold its lock too: root's `stop` would then
 * kill a process of the attacker's choosing while the real daemon runs on. start-stop-daemon
 * refuses such a file ("matching only on non-root pidfile ... is insecure"); so do stop and status
 * here, unless --force. A sticky directory (/tmp) lets others create entries but not rename or
 * remove ours, so it is safe when the pidfile (or the directory below) belongs to a trusted user.
 */

const STICKY = 0o1000;

/** World-writable, or group-writable for a group other than root's. */
function othersMayWrite(stat: Stats): boolean {
  return (stat.mode & 0o002) !== 0 || ((stat.mode & 0o020) !== 0 && stat.gid !== 0);
}

function trusted(uid: number, caller: number): boolean {
  return uid === 0 || uid === caller;
}

/** Why another user could have written or replaced `entry` (inside `dir`), or null. */
function entryDistrust(entry: string, stat: Stats, dir: string, dirStat: Stats, caller: number): string | null {
  if (!trusted(dirStat.uid, caller)) return `its directory ${dir} is owned by uid ${dirStat.uid}, who may replace ${entry}`;
  if (othersMayWrite(dirStat) && (dirStat.mode & STICKY) === 0) {
    return `its directory ${dir} is writable by other users and not sticky, so they may replace ${entry}`;
  }
  if ((dirStat.mode & STICKY) !== 0 && !trusted(stat.uid, caller)) return `${entry} is owned by uid ${stat.uid} in the shared directory ${dir}`;
  return null;
}

/** Why the pidfile at `path` cannot be trusted by the caller (effective uid), or null when it can. */
export function pidfileDistrust(path: string, caller = process.geteuid?.() ?? 0): string | null {
  let file: Stats;
  try {
    file = lstatSync(path);
  } catch {
    return null; // absent: nothing to believe
  }
  // A symlink is not a matter of trust: it is never read (O_NOFOLLOW), --force or not, and the
  // read says so; naming its owner here sent users to a --force that could not help.
  if (file.isSymbolicLink()) return null;
  if (!trusted(file.uid, caller)) return `pidfile ${path} is owned by uid ${file.uid}, not by you or root`;
  if (othersMayWrite(file)) return `pidfile ${path} is writable by other users (mode ${(file.mode & 0o7777).toString(8)})`;
  const link = untrustedSymlink(dirname(path), caller);
  if (link !== null) return `the path goes through the symlink ${link.link}, owned by uid ${link.owner} in the shared directory ${link.dir}`;
  let dir: string;
  try {
    dir = realpathSync(dirname(path));
  } catch {
    return null;
  }
  let entry = join(dir, path.slice(path.lastIndexOf('/') + 1));
  let stat = file;
  for (;;) {
    const dirStat = lstatSync(dir);
    const why = entryDistrust(entry, stat, dir, dirStat, caller);
    if (why !== null) return why;
    if (dir === '/') return null;
    entry = dir;
    stat = dirStat;
    dir = dirname(dir);
  }
}

/** Throws EPIDFILE when the pidfile cannot be trusted, saying why and that --force overrides. */
export function checkPidfileTrust(path: string, action: 'stop' | 'status'): void {
  const why = pidfileDistrust(path);
  if (why === null) return;
  throw new DaemonspecError(
    'EPIDFILE',
    `refusing to ${action === 'stop' ? 'signal the pid in' : 'trust'} pidfile ${path}: ${why}, so it may name any process. ` +
      `Keep pidfiles where only you or root can write; if this file is yours, pass --force`,
    { path },
  );
}
