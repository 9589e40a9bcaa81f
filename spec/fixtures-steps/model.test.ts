import { describe, expect, it } from 'vitest';
import { START_RULE_IDS } from '../../src/check/report-types.js';
import {
  correctExpectations,
  correctSteps,
  DEFECTS,
  expectedFailures,
  expectedVerdicts,
  stepArg,
  stepPaths,
  stepsCommand,
  STEPS_DAEMON,
  type Step,
} from '../support/steps.js';

const paths = stepPaths('/tmp/w');
const exp = correctExpectations(paths);

describe('spec/support/steps.ts: the verdict model', () => {
  it('builds the argument list of daemon.py', () => {
    expect(stepsCommand([{ step: 'fork' }, { step: 'umask', value: 0o22 }, { step: 'seed-redirect', out: 'a', err: 'b' }])).toEqual([
      '/usr/bin/python3',
      STEPS_DAEMON,
      'fork',
      'umask=022',
      'seed-redirect=a,b',
    ]);
    expect(stepArg({ step: 'umask', value: 0 })).toBe('umask=000');
  });

  it('a correct daemon passes every rule under sysv', () => {
    const outcome = expectedVerdicts(correctSteps(paths), exp);
    expect(outcome.verdict).toBe('pass');
    expect(Object.keys(outcome.rules).sort()).toEqual([...START_RULE_IDS].sort());
    expect(new Set(Object.values(outcome.rules))).toEqual(new Set(['pass']));
    expect(outcome.originalExitCode).toBe(0);
  });

  it.each(DEFECTS.map((d) => [d.name, d] as const))('defect %s fails exactly its rules', (_name, defect) => {
    const outcome = expectedVerdicts(defect.steps(paths), exp);
    expect(expectedFailures(outcome).sort()).toEqual([...defect.fails].sort());
    const others = Object.entries(outcome.rules).filter(([rule]) => !defect.fails.includes(rule as never));
    expect(new Set(others.map(([, s]) => s))).toEqual(new Set(['pass']));
  });

  it('skips rules whose expectation is missing, and daemon3 judges neither not-session-leader nor umask', () => {
    const outcome = expectedVerdicts(correctSteps(paths), {}, 'daemon3');
    for (const rule of ['ready-before-exit', 'stdout-target', 'stderr-target', 'pidfile', 'log-contents', 'not-session-leader', 'umask'] as const) {
      expect(outcome.rules[rule], rule).toBe('skip');
    }
    expect(outcome.rules.cwd).toBe('pass');
  });

  it('the seed profile wants umask 0 and does not require stdin on /dev/null', () => {
    const steps = correctSteps(paths).map((s): Step => (s.step === 'umask' ? { step: 'umask', value: 0 } : s));
    const outcome = expectedVerdicts(steps, exp, 'seed');
    expect(outcome.rules.umask).toBe('pass');
    expect(outcome.rules['stdin-devnull']).toBe('skip');
    expect(outcome.rules.cwd).toBe('skip');
  });

  it('a parent that exits without waiting makes ready-before-exit a race', () => {
    const steps = correctSteps(paths).filter((s) => s.step !== 'notify-parent');
    const outcome = expectedVerdicts(steps, exp);
    expect(outcome.rules['ready-before-exit']).toBe('either');
    // The pidfile's content is right either way; its timing is ready-before-exit's to judge.
    expect(outcome.rules.pidfile).toBe('pass');
    expect(outcome.verdict).toBe('either');
  });

  it('a pidfile written only after the original is gone: ready-before-exit fails (judged by the pidfile), pidfile passes', () => {
    const late = correctSteps(paths).filter((s) => s.step !== 'notify-parent');
    late.splice(late.findIndex((s) => s.step === 'pidfile'), 0, { step: 'wait-original-exit' });
    const { readyLog: _unused, ...byPidfile } = exp;
    expect(expectedVerdicts(late, byPidfile).rules['ready-before-exit']).toBe('fail');
    expect(expectedVerdicts(late, byPidfile).rules.pidfile).toBe('pass');
    expect(expectedVerdicts(correctSteps(paths), exp).rules.pidfile).toBe('pass');
  });

  it('no fork: the original never exits; a daemon that dies: the run fails', () => {
    const noFork = expectedVerdicts([{ step: 'umask', value: 0o22 }], exp);
    expect(noFork.originalExits).toBe(false);
    expect(noFork.rules['launcher-exit']).toBe('fail');
    expect(noFork.verdict).toBe('fail');
    const dies = expectedVerdicts([...correctSteps(paths).slice(0, 5), { step: 'exit-early' }, { step: 'notify-parent' }], exp);
    expect(dies.daemonAlive).toBe(false);
    expect(dies.originalExitCode).toBe(1);
    expect(dies.rules['launcher-exit']).toBe('fail');
    expect(dies.verdict).toBe('fail');
  });

  it('setsid in the process-group leader kills the original with exit 1', () => {
    const outcome = expectedVerdicts([{ step: 'setsid' }, { step: 'fork' }], exp);
    expect(outcome.originalExitCode).toBe(1);
    expect(outcome.daemonAlive).toBe(false);
  });

  it('a pidfile written before the last fork names the wrong process', () => {
    const steps: Step[] = correctSteps(paths).filter((s) => s.step !== 'pidfile');
    steps.splice(3, 0, { step: 'pidfile', path: paths.pidfile });
    expect(expectedVerdicts(steps, exp).rules.pidfile).toBe('fail');
  });
});
