import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The package's entries are dist/bundle/ (scripts/bundle.mjs, `npm run build`'s second step),
 * made from tsc's dist/. Run tsc alone and every test that imports 'daemonspec' or runs the CLI
 * would test the code of the last full build, silently: this says so instead. A checkout without
 * dist/ passes (the tests that need it say so themselves).
 */
export function bundleStaleness(root: string): string | null {
  const dist = join(root, 'dist');
  if (!existsSync(dist)) return null;
  const stamp = join(dist, 'bundle', 'modules.json');
  if (!existsSync(stamp)) return 'dist/bundle/ is missing: run `npm run build` (tsc, then the bundle)';
  const bundled = statSync(stamp).mtimeMs;
  const newer = newestJs(dist);
  if (newer !== null && newer.mtimeMs > bundled) return `dist/bundle/ is older than ${newer.file}: run \`npm run build\` (tsc alone does not bundle)`;
  return null;
}

function newestJs(dist: string): { file: string; mtimeMs: number } | null {
  let newest: { file: string; mtimeMs: number } | null = null;
  for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js') || entry.parentPath.startsWith(join(dist, 'bundle'))) continue;
    const file = join(entry.parentPath, entry.name);
    const { mtimeMs } = statSync(file);
    if (newest === null || mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  return newest;
}
