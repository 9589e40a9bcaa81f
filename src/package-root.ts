import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DaemonspecError } from './errors.js';

let root: string | undefined;

/**
 * The package's root directory, a checkout or an installed package: the nearest directory above
 * this module whose package.json names daemonspec. Walked up to rather than reached by a fixed
 * '../..', because the same code runs from src/ (the tests), dist/ (tsc's output) and
 * dist/bundle/ (the published entries, one level deeper).
 */
export function packageRoot(): string {
  root ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  return root;
}

/** The package's CLI entry point (bin/daemonspec.js; it runs dist/, so the package must be built). */
export function cliPath(): string {
  return join(packageRoot(), 'bin/daemonspec.js');
}

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (namesDaemonspec(join(dir, 'package.json'))) return dir;
    if (dirname(dir) !== dir) continue;
    const fix = 'this needs daemonspec installed as a package (npm install daemonspec), not copied or bundled into another one';
    throw new DaemonspecError('EUNSUPPORTED', `daemonspec's package.json is in no directory above ${start}: ${fix}`, { path: start });
  }
}

function namesDaemonspec(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'daemonspec';
  } catch {
    return false;
  }
}
