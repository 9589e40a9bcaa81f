import { execFile } from 'node:child_process';
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
