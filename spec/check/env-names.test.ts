import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkOnHost } from '../../src/check/index.js';
import { expectClean, workDir } from './support.js';

// checkOnHost() makes this worker a child subreaper (process-global; this file's worker only).
describe("the check's environment", () => {
  test('a variable named __proto__ reaches the command like any other (it was lost on a plain object; found in review)', async () => {
    const out = join(workDir(), 'seen');
    const report = await checkOnHost(['/bin/sh', '-c', 'printf %s "$__proto__" > "$0"', out], { env: JSON.parse('{"__proto__":"kept"}') as Record<string, string>, timeoutMs: 5000 });
    expect(readFileSync(out, 'utf8')).toBe('kept');
    expectClean(report);
  });
});
