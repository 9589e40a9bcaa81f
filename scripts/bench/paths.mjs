/** Where the benchmarks find the project: its root, and the CLI they run as a user would. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The package's bin (a shim into dist/: run `npm run build` first). */
export const CLI = join(root, 'bin/daemonspec.js');

/**
 * Why the package cannot be imported by its name yet (its entries are dist/bundle/, made by
 * `npm run build`), or null when it can.
 * @returns {string | null}
 */
export function buildMissing() {
  return existsSync(join(root, 'dist/bundle/index.js')) ? null : 'dist/bundle/ missing: run npm run build';
}
