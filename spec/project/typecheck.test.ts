import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/*
 * vitest strips types without checking them: this runs the compiler over src/ and spec/
 * (including the matcher type tests, spec/vitest/*.test-d.ts) with the project's strict settings.
 */
const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

/** tsc over one project file: its output and exit status. */
function typecheck(config: string): Promise<{ code: number; output: string }> {
  return promisify(execFile)(process.execPath, [tsc, '-p', config], { cwd: root, maxBuffer: 16 << 20 }).then(
    () => ({ code: 0, output: '' }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
  );
}

test('src/ and spec/ typecheck under strict settings (tsc -p tsconfig.spec.json)', async () => {
  const result = await typecheck('tsconfig.spec.json');
  expect(result.output).toBe('');
  expect(result.code).toBe(0);
}, 180_000);

/*
 * The scripts (benchmarks, the CI summary) are JavaScript checked by tsc through their JSDoc
 * types, with the same strict settings (tsconfig.scripts-check.json: allowJs, checkJs).
 */
test('scripts/ typecheck under strict settings (tsc -p tsconfig.scripts-check.json)', async () => {
  const result = await typecheck('tsconfig.scripts-check.json');
  expect(result.output).toBe('');
  expect(result.code).toBe(0);
}, 180_000);

/*
 * And they reach the code through the package's entries (daemonspec, daemonspec/internal for
 * what lies below the public API), never by a path into dist/: a moved file breaks them at
 * typecheck, not at a benchmark run.
 */
test('scripts/ import the package by its entries, not by paths into dist/', () => {
  const scripts = join(root, 'scripts');
  const byPath = readdirSync(scripts, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(m|c)?[jt]s$/.test(file))
    .filter((file) => /(?:from\s+|import\()\s*['"`][./]*\/?dist\//.test(readFileSync(join(scripts, file), 'utf8')));
  expect(byPath).toEqual([]);
});
