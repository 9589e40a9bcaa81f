import { accessSync, constants } from 'node:fs';
import { DEFAULT_IMAGE } from './project.js';
import { ensureDocker } from './docker.js';
import type { IsolationName } from './types.js';

export type Availability = { available: true } | { available: false; reason: string };

function unshareWorks(): Availability {
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

/** Whether an isolation can run here, and if not, why (the reason names the fix). */
export async function isolationAvailability(name: IsolationName, image = DEFAULT_IMAGE): Promise<Availability> {
  switch (name) {
    case 'host':
      return { available: true };
    case 'namespace':
      return unshareWorks();
    case 'docker':
    case 'docker-init':
      try {
        await ensureDocker(image);
        return { available: true };
      } catch (error) {
        return { available: false, reason: (error as Error).message };
      }
  }
}
