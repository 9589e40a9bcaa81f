import { describe, expect, test } from 'vitest';
import { checkOnHost, START_RULE_IDS, type RuleId } from '../../src/check/index.js';
import { inspect } from '../../src/inspect/index.js';
import { correctExpectations, correctSteps, DEFECTS, stepPaths, stepsCommand } from '../support/steps.js';
import { expectClean, explain, failing, workDir } from './support.js';

/**
 * Where the checker measures something else than spec/support/steps.ts predicts, with the reason.
 * no-setsid: the daemon keeps the launcher's session and terminal, but sits in a background,
 * already orphaned process group without stopped members; a hangup signals only the session
 * leader and the foreground group (and bash, not interactive, does not forward SIGHUP to a job
 * that already finished), so the daemon survives it. Linux 6.x, measured here.
 */
const MEASURED: Record<string, RuleId[]> = { 'no-setsid': ['new-session', 'no-controlling-tty'] };

/**
 * The rules this OS cannot decide from outside, which skip instead (rules/umask.ts and
 * rules/signal-mask-empty.ts skip when the daemon's snapshot has that field null). On macOS both:
 * neither another process's umask nor its blocked mask is observable (inspect/darwin.ts). Read
 * from a snapshot of this process, as the rules read the daemon's, not from the platform's name.
 */
const self = inspect(process.pid);
const UNOBSERVED: RuleId[] = [...(self.umask === null ? (['umask'] as const) : []), ...(self.signals.blocked === null ? (['signal-mask-empty'] as const) : [])];

// checkOnHost() makes this worker a child subreaper (process-global; this file's worker only).
describe('a daemon with exactly one defect fails exactly the matching rules (sysv)', () => {
  test('a correct daemon passes every rule', async () => {
    const paths = stepPaths(workDir());
    const report = await checkOnHost(stepsCommand(correctSteps(paths)), correctExpectations(paths));
    expect(failing(report), explain(report)).toEqual([]);
    expect(report.results.map((r) => r.status)).toEqual(START_RULE_IDS.map((id) => (UNOBSERVED.includes(id) ? 'skip' : 'pass')));
    expect(report.verdict).toBe('pass');
    expect(report.daemon?.pid).toBeGreaterThan(1);
    expectClean(report);
  });

  for (const defect of DEFECTS) {
    const fails = (MEASURED[defect.name] ?? defect.fails).filter((rule) => !UNOBSERVED.includes(rule));
    // A defect only an unobservable rule would see (umask-kept, signals-blocked on macOS) cannot fail here.
    test.skipIf(fails.length === 0)(defect.name, async () => {
      const paths = stepPaths(workDir());
      const report = await checkOnHost(stepsCommand(defect.steps(paths)), correctExpectations(paths));
      expect(failing(report).sort(), explain(report)).toEqual([...fails].sort());
      expect(report.results.filter((r) => r.status === 'skip').map((r) => r.rule), explain(report)).toEqual(START_RULE_IDS.filter((id) => UNOBSERVED.includes(id)));
      expect(report.verdict).toBe('fail');
      for (const result of report.results.filter((r) => r.status === 'fail')) {
        expect(result.fix).not.toBe('');
        expect(result.reference).not.toBe('');
      }
      expectClean(report);
    });
  }
});
