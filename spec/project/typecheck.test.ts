import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/*
 * vitest strips types without checking them: this runs the compiler over src/ and spec/
 * (including the matcher type tests, spec/vitest/*.test-d.ts) with the project's strict settings.
 */
test('src/ and spec/ typecheck under strict settings (tsc -p tsconfig.spec.json)', async () => {
  const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
  const result = await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.spec.json'], { cwd: root, maxBuffer: 16 << 20 }).then(
    () => ({ code: 0, output: '' }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
  );
  expect(result.output).toBe('');
  expect(result.code).toBe(0);
}, 180_000);
