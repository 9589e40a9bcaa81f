import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { FixtureManifest } from '../check/fixtures.js';

/**
 * What a failed probe said: its first line that starts with an error's name (Node's `Error: Cannot
 * find module 'daemon'`, `TypeError [ERR_...]`; not the `node:internal/errors:541` header before
 * it, nor the `Node.js v20` that ends the stack), else its last line, else how it ended.
 */
export function probeFailure(stderr: string, spawnError: string | undefined, status: number | null): string {
  const lines = stderr.trim().split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.find((line) => /^\w*(?:Error|Exception)\b/.test(line)) ?? lines.pop() ?? spawnError ?? `exit ${String(status)}`;
}

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
    if (result.status !== 0) return `probe \`${probe.join(' ')}\` failed: ${probeFailure(result.stderr?.toString() ?? '', result.error?.message, result.status)}`;
  }
  return null;
}
