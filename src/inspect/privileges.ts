/**
 * What a process may still do after a privilege drop, read from outside: capabilities,
 * NoNewPrivs and the core-dump settings. The user and group ids are in the Snapshot. One
 * reader per OS (privileges-linux.ts, privileges-darwin.ts); a field the OS cannot show is null
 * with the reason in `unknown`.
 */
import { currentOs } from '../ffi/platform.js';
import { darwinPrivileges } from './privileges-darwin.js';
import { linuxPrivileges } from './privileges-linux.js';
import type { Privileges } from './privileges-types.js';

export type { CapabilitySets, Privileges } from './privileges-types.js';

/** Reads `pid`'s privileges; throws like inspect() when the process does not exist. */
export function readPrivileges(pid: number): Privileges {
  return currentOs() === 'darwin' ? darwinPrivileges(pid) : linuxPrivileges(pid);
}

/** Whether a capability mask has no bit set. */
export function emptyMask(hex: string): boolean {
  return /^0*$/.test(hex);
}
