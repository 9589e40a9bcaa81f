/** Where the benchmarks find the project: its root, and the CLI they run as a user would. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The package's bin (a shim into dist/: run `npm run build` first). */
export const CLI = join(root, 'bin/daemonspec.js');
