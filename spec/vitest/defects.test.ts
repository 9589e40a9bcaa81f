import { describe, expect, it } from 'vitest';
import { checkDaemonAndCleanup } from '../../src/vitest/index.js';
import { correctExpectations, DEFECTS, expectedVerdicts, stepPaths, stepsCommand } from '../support/steps.js';
import { testDir } from '../support/temp-dir.js';

// Issue 3's defect daemons against the real checker: exactly the rules the model predicts fail.
// checkDaemonAndCleanup() makes this worker a child subreaper (process-global; this file's worker only).
describe('defect daemons (fixtures/steps) under sysv', () => {
  it.each(DEFECTS.map((d) => [d.name, d] as const))('%s fails exactly its rules', async (_name, defect) => {
    const paths = stepPaths(testDir('defect-'));
    const steps = defect.steps(paths);
    const expectations = correctExpectations(paths);
    const report = await checkDaemonAndCleanup(stepsCommand(steps), expectations);
    const model = expectedVerdicts(steps, expectations);
    for (const rule of defect.fails) expect(report).toFailRule(rule);
    for (const [rule, status] of Object.entries(model.rules)) {
      if (status === 'pass') expect(report).toPassRule(rule as never);
    }
    expect(report.cleanup.leftRunning).toEqual([]);
  });
});
