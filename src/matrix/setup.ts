import { spawnSync } from 'node:child_process';
import { DaemonspecError } from '../errors.js';
import { fillPlaceholders, type FixtureManifest, type Placeholders } from '../check/fixtures.js';

const SETUP_TIMEOUT_MS = 15_000;

/**
 * Runs a manifest's `setup` (it writes the daemon's configuration into {work}) to completion, on
 * the host and outside the checker's traps: it is preparation, not part of what is judged.
 * Throws a DaemonspecError with its output when it fails.
 */
export function runSetup(manifest: FixtureManifest, values: Placeholders): void {
  if (manifest.setup === undefined) return;
  const argv = manifest.setup.map((s) => fillPlaceholders(s, values));
  const result = spawnSync(argv[0]!, argv.slice(1), { cwd: values.work, encoding: 'utf8', timeout: SETUP_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error === undefined && result.status === 0) return;
  const why = result.error?.message ?? (result.status === null ? `killed by ${String(result.signal)}` : `exit ${result.status}`);
  throw new DaemonspecError('EUSAGE', `fixture ${manifest.name}: its setup \`${argv.join(' ')}\` failed (${why})`, {
    detail: `${result.stdout ?? ''}${result.stderr ?? ''}`,
  });
}

/** Why the fixture does not run under `isolation` (its manifest's requires.isolations), or null. */
export function isolationExcluded(manifest: FixtureManifest, isolation: string): string | null {
  const only = manifest.requires?.isolations;
  if (only === undefined || only.includes(isolation)) return null;
  return `runs under ${only.join(', ')} only`;
}
