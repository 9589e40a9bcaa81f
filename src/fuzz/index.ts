/**
 * `daemonspec fuzz`: property-based search over callers. Each run plants a caller drawn from a
 * fast-check arbitrary (arbitrary.ts), checks the command from it as `check` does, and fails when
 * a rule fails that does not fail from the plain caller (the baseline run). The first failing
 * caller is shrunk by fast-check to the smallest one that still fails.
 */
import { defaultJobs } from '../check/default-jobs.js';
import fc from 'fast-check';
import type { CallerSpec } from '../check/caller-spec.js';
import { ownOpenFileLimits } from '../check/fd-layout.js';
import { resolveProfile } from '../check/profiles.js';
import { type CheckReport, RULE_IDS } from '../check/report-types.js';
import { usageError } from '../errors.js';
import { checkCommandShape } from '../check/command-shape.js';
import { beforeStart } from '../daemon/refused.js';
import { subreaperChoices } from '../isolation/subreaper.js';
import { callerArbitrary, type CallerLimits, smallestCaller } from './arbitrary.js';
import { describeCaller } from '../check/caller-words.js';
import { runPool } from './pool.js';
import { replayLines } from './replay.js';
import { failingRules, type FuzzCheckOptions, newFailures, runCaller } from './run-caller.js';

export { callerArbitrary, smallestCaller, type CallerLimits } from './arbitrary.js';
export { describeCaller } from '../check/caller-words.js';
export type { FuzzCheckOptions } from './run-caller.js';

export interface FuzzOptions extends FuzzCheckOptions {
  /** Callers to try (default 100). */
  runs?: number;
  /** The fast-check seed (an integer); default a fresh one, printed in the report. */
  seed?: number;
  /** With `seed`: replay exactly the caller at this fast-check path (a report's `counterexample.path`), without searching. */
  path?: string;
  /** Runs at a time (default: twice the number of CPUs, at most 16: defaultJobs()). Shrinking runs one at a time. */
  jobs?: number;
  /**
   * Rules not counted against a caller (ids, or `no-daemon`): failures already known, such as a
   * tool's declared deviations, so the search looks for something new.
   */
  ignoreRules?: string[];
  /** Called after each run (progress). */
  onRun?: (done: number, caller: CallerSpec, failing: string[]) => void;
}

export interface FuzzCounterexample {
  /** The smallest caller found that breaks the daemon. */
  caller: CallerSpec;
  /** That caller in words. */
  words: string;
  /** Rule ids that fail from it and not from the plain caller (`no-daemon`: no daemon was found). */
  failing: string[];
  /** "with fd 1 closed ...: stdout-target, pidfile", and each failing rule's message. */
  explanation: string;
  /** fast-check path: `--seed S --path P` replays this caller. */
  path: string;
  /** The fuzz command line that replays it. */
  replay: string;
  /** The plain check command line that plants it. */
  checkReplay: string;
  shrinks: number;
  /** The check report of the counterexample's run. */
  report: CheckReport;
}

export interface FuzzReport {
  schemaVersion: 1;
  verdict: 'pass' | 'fail';
  command: string[];
  /** Checks run from generated callers (the search and the shrinking; the baseline not counted). */
  runs: number;
  seed: number;
  /** Set when the run replayed a path. */
  path: string | null;
  jobs: number;
  /** What fails from the plain caller already: not counted against the callers. */
  baseline: { caller: CallerSpec; failing: string[]; noDaemon: string | null };
  counterexample: FuzzCounterexample | null;
  /** Every run in order: the caller in words and what it broke (empty: passed). */
  trials: { words: string; failing: string[]; phase: 'search' | 'shrink' | 'replay'; durationMs: number }[];
  durationMs: number;
}

/** The limits of the arbitrary on this machine for these options. */
export function callerLimits(options: FuzzCheckOptions): CallerLimits {
  const { soft, hard } = ownOpenFileLimits();
  const expectedUmask = resolveProfile(options.profile, options).expect.umask;
  const subreaper = subreaperChoices(options.isolation ?? 'host');
  return { maxFd: Math.max(64, Math.min(soft, 1 << 16) - 64), maxNofile: Math.max(64, Math.min(hard, 1 << 20)), expectedUmask, subreaper };
}

function validate(options: FuzzOptions): { runs: number; jobs: number; seed: number } {
  const runs = options.runs ?? 100;
  if (!Number.isInteger(runs) || runs < 1) throw usageError(`fuzzDaemon() option runs must be a positive integer, not ${runs}`);
  const jobs = options.jobs ?? defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1) throw usageError(`fuzzDaemon() option jobs must be a positive integer, not ${jobs}`);
  const seed = options.seed ?? (Math.random() * 2 ** 31) | 0;
  if (!Number.isInteger(seed) || Math.abs(seed) >= 2 ** 31) throw usageError(`fuzzDaemon() option seed must be an integer (a fuzz report's seed), not ${seed}`);
  // The CLI's own parsers check the three above; these it passes on, so they name both spellings.
  if (options.path !== undefined && !/^\d+(:\d+)*$/.test(options.path)) {
    throw usageError(`path (--path): ${JSON.stringify(options.path)} is not a fast-check path such as 12:0:3 (a fuzz report's counterexample.path)`);
  }
  for (const rule of options.ignoreRules ?? []) {
    if (rule !== 'no-daemon' && !(RULE_IDS as readonly string[]).includes(rule)) throw usageError(`ignoreRules (--ignore-rules): unknown rule "${rule}" (rules: ${RULE_IDS.join(', ')}, no-daemon)`);
  }
  if (options.path !== undefined && options.seed === undefined) throw usageError('path (--path) needs the seed (--seed) it was found with');
  return { runs, jobs, seed };
}

/** The caller at a fast-check path of a seed, without running anything. */
export function callerAt(arbitrary: fc.Arbitrary<CallerSpec>, seed: number, path: string): CallerSpec {
  let found: CallerSpec | undefined;
  fc.check(fc.property(arbitrary, (caller) => {
    found = caller;
    return false;
  }), { seed, path, endOnFailure: true });
  if (found === undefined) throw usageError(`path (--path) ${path} names no caller of seed ${seed}`);
  return found;
}

/**
 * Fuzzes `command` over callers. Resolves to a report (verdict `fail` with a shrunk
 * counterexample when a caller breaks the daemon); rejects with DaemonspecError for bad options
 * or a check that cannot run. Every run stops what it started, as `check` does.
 */
export async function fuzzDaemon(command: readonly string[], options: FuzzOptions = {}): Promise<FuzzReport> {
  const started = Date.now();
  const { runs, jobs, seed, limits, arbitrary, replayed } = await beforeStart(() => {
    checkCommandShape(command, options, 'fuzzDaemon');
    const { runs, jobs, seed } = validate(options);
    const limits = callerLimits(options);
    const arbitrary = callerArbitrary(limits);
    // A replay's caller is found before anything runs: a path that names none is refused.
    const replayed = options.path === undefined ? null : callerAt(arbitrary, seed, options.path);
    return { runs, jobs, seed, limits, arbitrary, replayed };
  });
  const { runs: _r, seed: _s, path, jobs: _j, onRun, ignoreRules = [], ...checkOptions } = options;
  const label = `fuzz${seed}`;
  const baselineCaller = smallestCaller(limits);
  const baseline = await runCaller(command, checkOptions, baselineCaller, label);
  let count = 0;
  const trials: FuzzReport['trials'] = [];
  let phase: FuzzReport['trials'][number]['phase'] = path === undefined ? 'search' : 'replay';
  // Shrinking meets the same caller again and again (fast-check retries a smaller array after
  // each step): a caller already run is judged by its first run, not run again.
  const seen = new Map<string, { report: CheckReport; failing: string[] }>();
  const attempt = async (caller: CallerSpec): Promise<{ report: CheckReport; failing: string[] }> => {
    const key = JSON.stringify(caller);
    const known = seen.get(key);
    if (known !== undefined) return known;
    const report = await runCaller(command, checkOptions, caller, label);
    const failing = newFailures(report, baseline).filter((rule) => !ignoreRules.includes(rule));
    count++;
    trials.push({ words: describeCaller(caller, baselineCaller), failing, phase, durationMs: report.durationMs });
    onRun?.(count, caller, failing);
    seen.set(key, { report, failing });
    return { report, failing };
  };
  let found: { caller: CallerSpec; path: string; shrinks: number; report: CheckReport; failing: string[] } | null = null;
  if (path !== undefined && replayed !== null) {
    const run = await attempt(replayed);
    if (run.failing.length > 0) found = { caller: replayed, path, shrinks: 0, ...run };
  } else {
    found = await search(arbitrary, { runs, jobs, seed }, attempt, () => {
      phase = 'shrink';
    });
  }
  const counterexample = found === null ? null : describeFound(command, checkOptions, seed, found, baselineCaller);
  return {
    schemaVersion: 1,
    verdict: counterexample === null ? 'pass' : 'fail',
    command: [...command],
    runs: count,
    seed,
    path: path ?? null,
    jobs,
    baseline: { caller: baselineCaller, failing: failingRules(baseline), noDaemon: baseline.noDaemon?.reason ?? null },
    counterexample,
    trials,
    durationMs: Date.now() - started,
  };
}

type Attempt = (caller: CallerSpec) => Promise<{ report: CheckReport; failing: string[] }>;

/** The search: `runs` callers in parallel; then the first failing one shrunk, one run at a time. */
async function search(arbitrary: fc.Arbitrary<CallerSpec>, settings: { runs: number; jobs: number; seed: number }, attempt: Attempt, shrinking: () => void) {
  const callers = fc.sample(arbitrary, { seed: settings.seed, numRuns: settings.runs });
  let firstFailure = Infinity;
  const results = await runPool(callers, settings.jobs, async (caller, index) => {
    if (index > firstFailure) return undefined; // a lower index already failed: fast-check would not reach this one
    const run = await attempt(caller);
    if (run.failing.length > 0) firstFailure = Math.min(firstFailure, index);
    return run;
  }, () => false);
  if (firstFailure === Infinity) return null;
  shrinking();
  let last = { caller: callers[firstFailure]!, ...results[firstFailure]! };
  const outcome = await fc.check(
    fc.asyncProperty(arbitrary, async (caller) => {
      const run = await attempt(caller);
      if (run.failing.length > 0) last = { caller, ...run };
      return run.failing.length === 0;
    }),
    { seed: settings.seed, path: String(firstFailure), numRuns: settings.runs },
  );
  if (!outcome.failed || outcome.counterexamplePath === null) {
    // The failure did not come back on the replay (a racy daemon): report the run that failed.
    return { ...last, path: String(firstFailure), shrinks: 0 };
  }
  const caller = outcome.counterexample![0];
  return { ...last, caller, path: outcome.counterexamplePath, shrinks: outcome.numShrinks };
}

function describeFound(
  command: readonly string[],
  options: FuzzCheckOptions,
  seed: number,
  found: { caller: CallerSpec; path: string; shrinks: number; report: CheckReport; failing: string[] },
  baselineCaller: CallerSpec,
): FuzzCounterexample {
  const words = describeCaller(found.caller, baselineCaller);
  const messages = found.report.results.filter((r) => found.failing.includes(r.rule)).map((r) => `${r.rule}: ${r.message}`);
  const none = found.report.noDaemon;
  if (found.failing.includes('no-daemon') && none) {
    messages.unshift(`no daemon: ${none.reason}${none.lastLines.length > 0 ? `; last output: ${none.lastLines.join(' / ')}` : ''}`);
  }
  const { replay, checkReplay } = replayLines(command, options, seed, found.path, found.caller);
  return {
    caller: found.caller,
    words,
    failing: found.failing,
    explanation: [`with ${words} in the caller: ${found.failing.join(', ')}`, ...messages.map((m) => `  ${m}`)].join('\n'),
    path: found.path,
    replay,
    checkReplay,
    shrinks: found.shrinks,
    report: found.report,
  };
}
