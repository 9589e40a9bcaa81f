import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { START_RULE_IDS, type CheckReport, type Expectations } from '../../src/check/index.js';
import { checkDaemon } from '../../src/isolation/index.js';
import { expectClean, explain } from '../check/support.js';
import { assertProperty, propertyTimeout } from '../support/property.js';
import {
  correctExpectations,
  correctSteps,
  DEFECTS,
  expectedVerdicts,
  stepPaths,
  stepsCommand,
  type ProfileName,
  type Step,
  type StepName,
  type StepPaths,
} from '../support/steps.js';
import { testDir } from '../support/temp-dir.js';

/*
 * The checker's own conformance test (issue 5): generate daemon behaviours as step sets for the
 * step-interpreter daemon (fixtures/steps/daemon.py), run the real checker on them, and compare
 * its verdict with the one spec/support/steps.ts computes from the steps, rule by rule ('either'
 * in the model: a race, any status is right). Each run is one full check (a pty, a launcher,
 * a Python daemon, the hangup, the cleanup).
 *
 * checkDaemon() makes this worker a child subreaper (process-global; this file's worker only).
 */

const FILE = 'spec/properties/checker.test.ts';
const RUNS = 10;
/**
 * Per check. A missing readiness proof costs the whole timeout, so it is not long; but a check
 * that must succeed may not run out of time on a loaded machine, so CI gets more.
 */
const CHECK_TIMEOUT_MS = process.env.CI ? 10_000 : 4000;
const TIMEOUT_MS = propertyTimeout(RUNS, CHECK_TIMEOUT_MS + 2500);

/** One change to the correct steps. Applied in order to `correctSteps(paths)`. */
type Mutation =
  | { kind: 'drop'; step: StepName; occurrence: number }
  | { kind: 'signals'; to: 'unblock-signals' | 'default-signals' }
  | { kind: 'umask'; value: number }
  | { kind: 'chdir'; to: 'work' | '/tmp' }
  | { kind: 'stdin'; path: string }
  | { kind: 'stdout-to-devnull' }
  | { kind: 'stderr-to-stdout' }
  | { kind: 'seed-redirect' }
  | { kind: 'exit-early'; at: number }
  | { kind: 'ready-late' }
  | { kind: 'pidfile-before-second-fork' }
  | { kind: 'setsid-before-fork' }
  | { kind: 'log-err' };

const droppable: [StepName, number][] = [
  ['fork', 1],
  ['setsid', 0],
  ['umask', 0],
  ['chdir', 0],
  ['close-fds', 0],
  ['stdin', 0],
  ['stdout', 0],
  ['stderr', 0],
  ['pidfile', 0],
  ['ready-log', 0],
  ['notify-parent', 0],
  ['reset-signals', 0],
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...droppable).map(([step, occurrence]): Mutation => ({ kind: 'drop', step, occurrence })) },
  fc.constantFrom('unblock-signals' as const, 'default-signals' as const).map((to): Mutation => ({ kind: 'signals', to })),
  fc.constantFrom(0, 0o027, 0o077, 0o002).map((value): Mutation => ({ kind: 'umask', value })),
  fc.constantFrom('work' as const, '/tmp' as const).map((to): Mutation => ({ kind: 'chdir', to })),
  fc.constantFrom('/etc/hostname', '/dev/zero').map((path): Mutation => ({ kind: 'stdin', path })),
  fc.constantFrom<Mutation>(
    { kind: 'stdout-to-devnull' },
    { kind: 'stderr-to-stdout' },
    { kind: 'seed-redirect' },
    { kind: 'ready-late' },
    { kind: 'pidfile-before-second-fork' },
    { kind: 'setsid-before-fork' },
    { kind: 'log-err' },
  ),
  fc.nat({ max: 14 }).map((at): Mutation => ({ kind: 'exit-early', at })),
);

function apply(steps: Step[], m: Mutation, paths: StepPaths, work: string): Step[] {
  const map = (f: (s: Step) => Step[]): Step[] => steps.flatMap(f);
  switch (m.kind) {
    case 'drop': {
      let seen = -1;
      return steps.filter((s) => !(s.step === m.step && ++seen === m.occurrence));
    }
    case 'signals':
      return map((s) => (s.step === 'reset-signals' ? [{ step: m.to }] : [s]));
    case 'umask':
      return map((s) => (s.step === 'umask' ? [{ step: 'umask', value: m.value }] : [s]));
    case 'chdir':
      return map((s) => (s.step === 'chdir' ? [{ step: 'chdir', dir: m.to === 'work' ? work : '/tmp' }] : [s]));
    case 'stdin':
      return map((s) => (s.step === 'stdin' ? [{ step: 'stdin', path: m.path }] : [s]));
    case 'stdout-to-devnull':
      return map((s) => (s.step === 'stdout' ? [{ step: 'stdout', path: '/dev/null' }] : [s]));
    case 'stderr-to-stdout':
      return map((s) => (s.step === 'stderr' ? [{ step: 'stderr', path: paths.stdout }] : [s]));
    case 'seed-redirect':
      return map((s) =>
        s.step === 'stdin' ? [{ step: 'seed-redirect', out: paths.stdout, err: paths.stderr }] : s.step === 'stdout' || s.step === 'stderr' ? [] : [s],
      );
    case 'exit-early':
      return [...steps.slice(0, m.at), { step: 'exit-early' }, ...steps.slice(m.at)];
    case 'ready-late':
      // As DEFECTS' parent-exits-before-ready: no notification, and the set-up waits for the exit
      // and for the launcher's record of it.
      return map((s) => (s.step === 'notify-parent' ? [] : s.step === 'umask' ? [{ step: 'wait-original-exit' }, s] : [s]));
    case 'pidfile-before-second-fork': {
      const pidfile = steps.find((s) => s.step === 'pidfile');
      if (!pidfile) return steps;
      const rest = steps.filter((s) => s !== pidfile);
      const firstFork = rest.findIndex((s) => s.step === 'fork');
      return [...rest.slice(0, firstFork + 1), pidfile, ...rest.slice(firstFork + 1)];
    }
    case 'setsid-before-fork': {
      const rest = steps.filter((s) => s.step !== 'setsid');
      const firstFork = rest.findIndex((s) => s.step === 'fork');
      return firstFork < 0 ? steps : [...rest.slice(0, firstFork), { step: 'setsid' }, ...rest.slice(firstFork)];
    }
    case 'log-err':
      return map((s) => (s.step === 'stderr' ? [s, { step: 'log-err', text: 'an error line' }] : [s]));
  }
}

type ExpectationKey = keyof Expectations;
const expectationKeys: ExpectationKey[] = ['pidfile', 'stdout', 'stderr', 'readyLog', 'expectLog'];

interface Case {
  source: { defect: string } | { mutations: Mutation[] };
  profile: ProfileName;
  /** Expectations of correctExpectations() kept (the others are left out: their rules skip). */
  keep: ExpectationKey[];
  umask: number | null;
  cwd: 'work' | '/' | null;
  allowIgnored: boolean;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  source: fc.oneof(
    fc.constantFrom(...DEFECTS.map((d) => d.name)).map((defect) => ({ defect })),
    { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }).map((mutations) => ({ mutations })) },
  ),
  profile: fc.constantFrom<ProfileName>('sysv', 'sysv', 'seed', 'daemon3'),
  keep: fc.oneof({ weight: 3, arbitrary: fc.constant(expectationKeys) }, fc.subarray(expectationKeys)),
  umask: fc.option(fc.constantFrom(0, 0o022, 0o027), { nil: null, freq: 3 }),
  cwd: fc.option(fc.constantFrom('work' as const, '/' as const), { nil: null, freq: 3 }),
  allowIgnored: fc.boolean(),
});

function stepsOf(c: Case, paths: StepPaths, work: string): Step[] {
  if ('defect' in c.source) {
    const name = c.source.defect;
    return DEFECTS.find((d) => d.name === name)!.steps(paths);
  }
  return c.source.mutations.reduce((steps, m) => apply(steps, m, paths, work), correctSteps(paths));
}

function expectationsOf(c: Case, paths: StepPaths, work: string): Expectations {
  const all = correctExpectations(paths);
  const out: Expectations = {};
  for (const key of c.keep) (out as Record<string, unknown>)[key] = all[key];
  if (c.umask !== null) out.umask = c.umask;
  if (c.cwd !== null) out.cwd = c.cwd === 'work' ? work : '/';
  if (c.allowIgnored) out.allowIgnored = ['SIGPIPE', 'SIGXFSZ', 'SIGUSR2'];
  return out;
}

function disagreements(report: CheckReport, expected: ReturnType<typeof expectedVerdicts>): string[] {
  const out: string[] = [];
  for (const rule of START_RULE_IDS) {
    const want = expected.rules[rule];
    const got = report.results.find((r) => r.rule === rule)?.status;
    if (want !== 'either' && got !== want) out.push(`${rule}: checker ${got}, model ${want}`);
  }
  if (expected.verdict !== 'either' && report.verdict !== expected.verdict) out.push(`verdict: checker ${report.verdict}, model ${expected.verdict}`);
  return out;
}

describe('property: the checker judges generated daemons exactly as the step model predicts', () => {
  it(
    'every rule verdict equals expectedVerdicts() (either = any)',
    async () => {
      const base = testDir('ds-prop-check-');
      await assertProperty(
        fc.asyncProperty(caseArb, async (c) => {
          const work = mkdtempSync(join(base, 'w-'));
          const paths = stepPaths(work);
          const steps = stepsOf(c, paths, work);
          const expectations = expectationsOf(c, paths, work);
          const report = await checkDaemon(stepsCommand(steps), { ...expectations, profile: c.profile, timeoutMs: CHECK_TIMEOUT_MS });
          const expected = expectedVerdicts(steps, expectations, c.profile);
          expect(disagreements(report, expected), `steps: ${stepsCommand(steps).slice(2).join(' ')}\n${explain(report)}`).toEqual([]);
          expectClean(report);
        }),
        { runs: RUNS, timeoutMs: TIMEOUT_MS, file: FILE },
      );
    },
    TIMEOUT_MS,
  );
});
