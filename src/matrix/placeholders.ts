import { join } from 'node:path';
import { CONTAINER_ROOT, CONTAINER_WORK } from '../isolation/project.js';
import { cliPath, packageRoot } from '../package-root.js';
import type { IsolationName } from '../isolation/types.js';
import type { Placeholders } from '../check/fixtures.js';

export { fillPlaceholders } from '../check/fixtures.js';

/** All four values, as the matrix fills them for every isolation. */
export type PlaceholderValues = Required<Placeholders>;

/**
 * Paths as the checker inside the isolation sees them: the host's for host and namespace
 * (same file system), the container's for docker (/daemonspec read-only, /work bound to
 * the host work directory, the image's node).
 */
export function placeholderValues(isolation: IsolationName, fixtureName: string, hostWork: string): PlaceholderValues {
  if (isolation === 'docker' || isolation === 'docker-init') {
    return {
      dir: `${CONTAINER_ROOT}/fixtures/${fixtureName}`,
      work: CONTAINER_WORK,
      node: '/usr/local/bin/node',
      cli: `${CONTAINER_ROOT}/bin/daemonspec.js`,
    };
  }
  return { dir: join(packageRoot(), 'fixtures', fixtureName), work: hostWork, node: process.execPath, cli: cliPath() };
}
