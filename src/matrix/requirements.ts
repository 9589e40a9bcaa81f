import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { FixtureManifest } from '../check/fixtures.js';

/**
 * Why a fixture cannot run on this machine (a missing command, a failed probe), or null.
 * Checked on the host: the project's image carries the same runtimes (Dockerfile).
 */
export function missingRequirement(manifest: FixtureManifest, fill: (s: string) => string): string | null {
  for (const command of manifest.requires?.commands ?? []) {
    const path = fill(command);
    try {
      accessSync(path, constants.X_OK);
    } catch {
      return `${path} is not installed (scripts/install-debian-deps.sh)`;
    }
  }
  const probe = manifest.requires?.probe?.map(fill);
  if (probe && probe.length > 0) {
    const result = spawnSync(probe[0]!, probe.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], timeout: 15_000 });
    if (result.status !== 0) {
      const why = result.stderr?.toString().trim().split('\n').pop() ?? result.error?.message ?? `exit ${String(result.status)}`;
      return `probe \`${probe.join(' ')}\` failed: ${why}`;
    }
  }
  return null;
}
