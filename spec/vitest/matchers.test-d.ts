import { expect, expectTypeOf, test } from 'vitest';
import '../../src/vitest/index.js';
import type { CheckReport } from '../../src/check/report-types.js';

declare const report: CheckReport;

test('the matchers are typed, and rule ids are checked', () => {
  expectTypeOf(expect(report).toConform).parameters.toEqualTypeOf<[profile?: string]>();
  expect(report).toPassRule('umask');
  expect(report).not.toFailRule('no-leaked-fds');
  // @ts-expect-error: not a rule id
  expect(report).toPassRule('umask-is-022');
});
