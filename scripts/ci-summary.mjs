// Prints vitest's JSON report as the plain closing line CI reads: "N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The parts of vitest's JSON report read here (its Jest-compatible shape).
 * @typedef {{ status?: string, assertionResults?: Array<{ status?: string }> }} FileResult
 * @typedef {{ numPassedTests?: number, numFailedTests?: number, numPendingTests?: number,
 *   numTodoTests?: number, success?: boolean, testResults?: FileResult[] }} VitestReport
 */

const file = process.argv[2] ?? 'reports/vitest.json';
/** @type {VitestReport} */
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (caught) {
  // readFileSync throws a system error (with `code`), JSON.parse a SyntaxError.
  const error = /** @type {NodeJS.ErrnoException} */ (caught);
  console.log(`summary: no vitest report at ${file} (${error.code ?? error.message})`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A test file that failed without a failing test (it did not load, or a hook failed) counts as
// one failure; so does a run that failed with no failing file (the global teardown found
// processes left running).
const files = report.testResults ?? [];
const brokenFiles = files.filter(
  (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
).length;
let failed = (report.numFailedTests ?? 0) + brokenFiles;
if (report.success === false && failed === 0) failed = 1;
// The global teardown (spec/support/global-setup.ts) runs after the JSON report is written: the
// processes and temporary directories the run left behind come in files of their own, and each
// kind counts as one failure.
for (const [name, what] of [['leftover-processes.json', 'processes running'], ['leftover-temp.json', 'temporary directories']]) {
  const leftovers = join(dirname(file), name);
  if (existsSync(leftovers)) {
    console.log(`summary: the run left ${what} (${leftovers}):\n${readFileSync(leftovers, 'utf8').trim()}`);
    failed += 1;
  }
}
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
