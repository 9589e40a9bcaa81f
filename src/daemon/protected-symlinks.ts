import { lstatSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DaemonspecError } from '../errors.js';

/*
 * The kernel's fs.protected_symlinks rule, applied by daemonspec itself whatever the sysctl says
 * (it is 0 on many systems): a symlink in a sticky world-writable directory (/tmp, a 1777 spool)
 * is followed only when its owner is the follower (the effective uid) or the directory's owner.
 * Otherwise another user could plant `/tmp/app.log -> /etc/shadow` and have root append to it.
 * Every symlink met on the way is judged, in the directory that holds it, as the kernel's
 * may_follow_link() does.
 */

const STICKY_WORLD_WRITABLE = 0o1002;
const MAX_LINKS = 40;

/** The link that breaks the rule, or null. Parts that do not exist are left to the open that follows. */
export function untrustedSymlink(path: string, uid: number): { link: string; owner: number; dir: string; dirOwner: number } | null {
  const pending = path.split('/').filter(Boolean);
  let resolved = '/';
  for (let links = 0; pending.length > 0; ) {
    const name = pending.shift()!;
    if (name === '.') continue;
    if (name === '..') {
      resolved = dirname(resolved);
      continue;
    }
    const candidate = join(resolved, name);
    let link;
    try {
      link = lstatSync(candidate);
    } catch {
      return null;
    }
    if (!link.isSymbolicLink()) {
      resolved = candidate;
      continue;
    }
    if (++links > MAX_LINKS) return null; // the open reports ELOOP
    const dir = statSync(resolved);
    if ((dir.mode & STICKY_WORLD_WRITABLE) === STICKY_WORLD_WRITABLE && link.uid !== uid && link.uid !== dir.uid) {
      return { link: candidate, owner: link.uid, dir: resolved, dirOwner: dir.uid };
    }
    const target = readlinkSync(candidate);
    if (target.startsWith('/')) resolved = '/';
    pending.unshift(...target.split('/').filter(Boolean));
  }
  return null;
}

/** Whether the last component of a path is a symlink now (then it was judged by untrustedSymlink). */
export function endsInSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Throws `code` when following `path` would break the protected_symlinks rule; `what` names the file and what writing it does. */
function refuseUntrustedSymlink(path: string, code: 'ELOG' | 'EPIDFILE', what: { noun: string; file: string; write: string }): void {
  const uid = process.geteuid?.() ?? 0;
  const bad = untrustedSymlink(path, uid);
  if (bad === null) return;
  throw new DaemonspecError(
    code,
    `refusing ${what.file}: the symlink ${bad.link} is owned by uid ${bad.owner} in the sticky world-writable directory ${bad.dir} ` +
      `(owner uid ${bad.dirOwner}), and following it could make this process ${what.write} a file of another user's choosing ` +
      `(the kernel's protected_symlinks rule, applied whatever the sysctl says): remove the link, or put the ${what.noun} in a directory only you can write`,
    { path, errno: 'EACCES', refused: true },
  );
}

/** Throws ELOG when following `path` would break the protected_symlinks rule. */
export function checkLogSymlinks(path: string, stream: 'stdout' | 'stderr'): void {
  refuseUntrustedSymlink(path, 'ELOG', { noun: 'log', file: `${stream} log ${path}`, write: 'append to' });
}

/**
 * Throws EPIDFILE when the pidfile's directory is reached through a symlink that breaks the
 * protected_symlinks rule: the pidfile and its temporary file are made there, and a later stop
 * removes it (its last component is opened with O_NOFOLLOW already).
 */
export function checkPidfileSymlinks(path: string): void {
  refuseUntrustedSymlink(dirname(path), 'EPIDFILE', { noun: 'pidfile', file: `pidfile ${path}`, write: 'replace, and a stop remove,' });
}
