import { join } from 'node:path';
import { CLI_PATH, CONTAINER_ROOT, CONTAINER_WORK, PROJECT_ROOT } from '../isolation/project.js';
import type { IsolationName } from '../isolation/types.js';

/** The values of a manifest's placeholders for one run. */
export interface PlaceholderValues {
  dir: string;
  work: string;
  node: string;
  cli: string;
}

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
  return { dir: join(PROJECT_ROOT, 'fixtures', fixtureName), work: hostWork, node: process.execPath, cli: CLI_PATH };
}

/** Replaces {dir} {work} {pidfile} {stdout} {stderr} {node} {cli}; an unknown {name} is left alone. */
export function fillPlaceholders(text: string, v: PlaceholderValues): string {
  const table: Record<string, string> = {
    dir: v.dir,
    work: v.work,
    pidfile: `${v.work}/daemon.pid`,
    stdout: `${v.work}/out.log`,
    stderr: `${v.work}/err.log`,
    node: v.node,
    cli: v.cli,
  };
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => table[name] ?? whole);
}
