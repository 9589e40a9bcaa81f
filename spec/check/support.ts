import { expect } from 'vitest';
import type { CheckReport, RuleId, RuleStatus } from '../../src/check/index.js';
import { isRunning } from '../../src/inspect/index.js';
import { testDir } from '../support/temp-dir.js';

/**
 * Tests here call checkOnHost() in the vitest worker, which makes the worker a child subreaper
 * (process-global, Linux): each test file runs in its own forked worker, so this does not
 * reach other files. Every check stops what it started; `expectClean` asserts it.
 */
export function workDir(): string {
  const dir = testDir('ds-check-spec-');
  return dir;
}

export function statuses(report: CheckReport): Record<RuleId, RuleStatus> {
  return Object.fromEntries(report.results.map((r) => [r.rule, r.status])) as Record<RuleId, RuleStatus>;
}

export function failing(report: CheckReport): RuleId[] {
  return report.results.filter((r) => r.status === 'fail' || r.status === 'racy').map((r) => r.rule);
}

/** The check left nothing running (the report's cleanup and an independent look at the pids). */
/**
 * Nothing the check stopped or considered is still running. A zombie does not count: a daemon
 * killed at the end of the check may still await its reaping by this worker (the subreaper),
 * which a loaded machine delays past the report.
 */
export function expectClean(report: CheckReport): void {
  expect(report.cleanup.leftRunning).toEqual([]);
  for (const pid of [...report.cleanup.stopped, ...report.candidates]) {
    expect(isRunning(pid), `pid ${pid} still running`).toBe(false);
  }
}

export function explain(report: CheckReport): string {
  return (
    report.results.map((r) => `${r.status.padEnd(5)} ${r.rule}: ${r.message}`).join('\n') +
    `\nnotes: ${report.notes.join(' / ')}\nterminal: ${report.terminalOutput}`
  );
}
