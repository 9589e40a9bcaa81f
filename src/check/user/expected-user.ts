import { existsSync } from 'node:fs';
import { SETPRIV_PATH } from '../../daemon/chain.js';
import { usageError } from '../../errors.js';
import { groupList, lookupGroup, lookupUser } from '../../ffi/libc.js';
import { currentOs } from '../../ffi/platform.js';

/** The user the daemon must run as (`check --user NAME`), with what initgroups(3) gives it. */
export interface ExpectedUser {
  name: string;
  uid: number;
  gid: number;
  /** The supplementary groups of NAME (getgrouplist: its primary group and every group listing it), sorted. */
  groups: number[];
}

/** The first gid from here up that names no group and is not one of `taken`: the trap group. */
const TRAP_GID_FROM = 47000;

/** Resolves `--user NAME` before anything starts: the checker must be root, NAME must exist. */
export function resolveExpectedUser(name: string): ExpectedUser {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw usageError(`--user ${name} needs the checker to run as root (it plants root's groups in the caller, which the daemon must drop): run it with sudo`);
  }
  const account = lookupUser(name);
  if (account === null) throw usageError(`--user: unknown user ${name}: give an existing user name or uid`);
  return { name: account.name, uid: account.uid, gid: account.gid, groups: groupList(account.name, account.gid) };
}

/**
 * The supplementary groups the checker plants in the caller: root's group 0 and a trap group
 * that names no group and is not NAME's. A daemon that drops privileges without initgroups (or
 * setgroups) keeps both. Null where they cannot be planted (macOS, no setpriv).
 */
export function plantedGroups(user: ExpectedUser): { groups: number[] | null; note: string | null } {
  if (currentOs() !== 'linux') return { groups: null, note: 'no groups were planted in the caller (Linux only, through setpriv): the groups are judged as found' };
  if (!existsSync(SETPRIV_PATH)) {
    throw usageError(`--user needs ${SETPRIV_PATH} (util-linux) to plant groups in the caller: apt-get install util-linux`);
  }
  let trap = TRAP_GID_FROM;
  while (user.groups.includes(trap) || lookupGroup(trap) !== null) trap += 1;
  return { groups: [0, trap].filter((g) => !user.groups.includes(g) || g === trap), note: null };
}
