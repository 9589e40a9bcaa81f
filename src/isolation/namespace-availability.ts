import { accessSync, constants } from 'node:fs';
import type { Availability } from './types.js';

/** Whether this process can create a PID namespace with unshare (util-linux), and if not, why. */
export function namespaceAvailability(): Availability {
  if (process.platform !== 'linux') return { available: false, reason: 'PID namespaces are Linux only' };
  if (process.getuid?.() !== 0) return { available: false, reason: 'creating a PID namespace needs root (CAP_SYS_ADMIN)' };
  for (const dir of (process.env.PATH ?? '/usr/bin').split(':')) {
    try {
      accessSync(`${dir}/unshare`, constants.X_OK);
      return { available: true };
    } catch {
      // not in this directory
    }
  }
  return { available: false, reason: 'unshare (util-linux) is not installed' };
}
