import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import type { CheckReport, RuleId, RuleStatus } from '../../src/check/index.js';

/**
 * Tests here call checkDaemon() in the vitest worker, which makes the worker a child subreaper
 * (process-global, Linux): each test file runs in its own forked worker, so this does not
 * reach other files. Every check stops what it started; `expectClean` asserts it.
 */
export function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ds-check-spec-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function statuses(report: CheckReport): Record<RuleId, RuleStatus> {
  return Object.fromEntries(report.results.map((r) => [r.rule, r.status])) as Record<RuleId, RuleStatus>;
}

export function failing(report: CheckReport): RuleId[] {
  return report.results.filter((r) => r.status === 'fail' || r.status === 'racy').map((r) => r.rule);
}

/** The check left nothing running (the report's cleanup and an independent look at the pids). */
export function expectClean(report: CheckReport): void {
  expect(report.cleanup.leftRunning).toEqual([]);
  for (const pid of [...report.cleanup.stopped, ...report.candidates]) {
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
    expect(alive, `pid ${pid} still exists`).toBe(false);
  }
}

export function explain(report: CheckReport): string {
  return (
    report.results.map((r) => `${r.status.padEnd(5)} ${r.rule}: ${r.message}`).join('\n') +
    `\nnotes: ${report.notes.join(' / ')}\nterminal: ${report.terminalOutput}`
  );
}
