import { describe, expect, it } from 'vitest';
import { checkDaemonAndCleanup } from '../../src/vitest/index.js';
import { correctExpectations, correctSteps, DEFECTS, stepPaths, stepsCommand } from '../support/steps.js';
import { testDir } from '../support/temp-dir.js';

// checkDaemonAndCleanup() makes this worker a child subreaper (process-global; this file's worker only).
describe('checkDaemonAndCleanup with the real checker', () => {
  it('a correct steps daemon conforms to sysv', async () => {
    const paths = stepPaths(testDir('vitest-check-'));
    const report = await checkDaemonAndCleanup(stepsCommand(correctSteps(paths)), correctExpectations(paths));
    expect(report).toConform('sysv');
    expect(report.cleanup.leftRunning).toEqual([]);
  });

  it('a single-fork daemon fails not-session-leader and passes new-session', async () => {
    const paths = stepPaths(testDir('vitest-check-'));
    const defect = DEFECTS.find((d) => d.name === 'single-fork')!;
    const report = await checkDaemonAndCleanup(stepsCommand(defect.steps(paths)), correctExpectations(paths));
    expect(report).not.toConform();
    expect(report).toFailRule('not-session-leader');
    expect(report).toPassRule('new-session');
  });
});
