import { DEFAULT_IMAGE } from './project.js';
import { ensureDocker } from './docker.js';
import { namespaceAvailability } from './namespace-availability.js';
import type { Availability, IsolationName } from './types.js';

export { namespaceAvailability };
export type { Availability };

/** Whether an isolation can run here, and if not, why (the reason names the fix). */
export async function isolationAvailability(name: IsolationName, image = DEFAULT_IMAGE): Promise<Availability> {
  switch (name) {
    case 'host':
      return { available: true };
    case 'namespace':
      return namespaceAvailability();
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
