import { expect, test } from 'vitest';
import { checkOnHost } from '../../src/check/index.js';
import { correctExpectations, correctSteps, DEFECTS, stepPaths, stepsCommand } from '../support/steps.js';
import { expectClean, explain, failing, workDir } from './support.js';

/*
 * Checks running at the same time in one process (test.concurrent in a user's suite) share the
 * subreaper: each must judge, reap and stop only its own processes. Before the launcher registry
 * one check reaped the other's launcher and the other died on waitpid's ECHILD.
 */
test('three checks at once in one process each judge and clean up only their own daemon', async () => {
  const leaked = DEFECTS.find((d) => d.name === 'leaked-fd') ?? DEFECTS[0]!;
  const runs = [correctSteps, correctSteps, leaked.steps].map((steps) => {
    const paths = stepPaths(workDir());
    return { paths, report: checkOnHost(stepsCommand(steps(paths)), correctExpectations(paths)) };
  });
  const reports = await Promise.all(runs.map((r) => r.report));
  expect(failing(reports[0]!), explain(reports[0]!)).toEqual([]);
  expect(failing(reports[1]!), explain(reports[1]!)).toEqual([]);
  expect(failing(reports[2]!).sort(), explain(reports[2]!)).toEqual([...leaked.fails].sort());
  const pids = reports.map((r) => r.daemon?.pid);
  expect(new Set(pids).size).toBe(3);
  for (const report of reports) expectClean(report);
});
