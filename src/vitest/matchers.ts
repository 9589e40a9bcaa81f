import { LIFECYCLE_RULE_IDS, RULE_IDS, USER_RULE_IDS, type CheckReport, type RuleId, type RuleResult } from '../check/report-types.js';
import { chosenNote } from '../report/findings.js';
import { formatValue, shellQuote } from '../report/format.js';

/** What `expect.extend` passes as `this` (the part the matchers use). */
interface MatcherContext {
  isNot: boolean;
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
  actual?: unknown;
  expected?: unknown;
}

function assertReport(received: unknown, matcher: string): asserts received is CheckReport {
  const r = received as Partial<CheckReport> | null;
  if (r === null || typeof r !== 'object' || r.schemaVersion !== 2 || !Array.isArray(r.results)) {
    throw new TypeError(
      `${matcher}() expects a daemonspec CheckReport (schemaVersion 2), e.g. expect(await checkDaemonAndCleanup(cmd)).${matcher}(); got ${describe(received)}`,
    );
  }
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return 'an array';
  const keys = Object.keys(value);
  // An empty object, or a promise not awaited (it has no own keys): "with keys " said nothing (a new user's probe).
  if (value instanceof Promise) return 'a Promise: await the check first';
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 6).join(', ')}`;
}

function assertRuleId(rule: unknown, matcher: string): asserts rule is RuleId {
  if (!(RULE_IDS as readonly unknown[]).includes(rule)) {
    throw new TypeError(`${matcher}(${JSON.stringify(rule)}): unknown rule id; valid ids: ${RULE_IDS.join(', ')}`);
  }
}

/** The evidence of one rule, as the failure message shows it. */
export function describeRule(r: RuleResult): string {
  const lines = [
    `  ${r.status === 'racy' ? '~' : r.status === 'fail' ? '✗' : r.status === 'skip' ? '–' : '✓'} ${r.rule} (${r.status}): ${r.title}`,
    `      expected ${formatValue(r.rule, r.expected)}, actual ${formatValue(r.rule, r.actual)}`,
  ];
  if (r.runs) lines.push(`      runs: ${r.runs.join(', ')}`);
  if (r.message !== '') lines.push(`      ${r.message.split('\n').join('\n      ')}`);
  const note = chosenNote(r);
  if (note) lines.push(`      note: ${note}`);
  if (r.fix !== '') lines.push(`      fix: ${r.fix}`);
  return lines.join('\n');
}

function subject(report: CheckReport): string {
  const pid = report.daemon === null ? 'no daemon found' : `daemon pid ${report.daemon.pid}`;
  return `${shellQuote(report.command)} (profile ${report.profile}, seed ${report.seed}, ${pid})`;
}

function toConform(this: MatcherContext, received: unknown, profile?: string): MatcherResult {
  assertReport(received, 'toConform');
  const report = received;
  const failing = report.results.filter((r) => r.status === 'fail' || r.status === 'racy');
  const wrongProfile = profile !== undefined && report.profile !== profile;
  const pass = !wrongProfile && report.verdict === 'pass' && failing.length === 0;
  const wanted = profile ?? report.profile;
  return {
    pass,
    actual: report.verdict,
    expected: 'pass',
    message: () => {
      if (this.isNot) {
        return `expected ${subject(report)} not to conform to ${wanted}, but every judged rule passed`;
      }
      const lines = [`expected ${subject(report)} to conform to ${wanted}`];
      if (report.noDaemon !== null) {
        // The one finding: the rules that need a daemon were not judged.
        lines.push(`  no daemon found: ${report.noDaemon.reason}`);
        lines.push(...report.noDaemon.lastLines.map((l) => `    | ${l}`));
      }
      if (wrongProfile) lines.push(`  it was checked under profile ${report.profile}, not ${profile}`);
      if (failing.length > 0) {
        lines.push(`  ${failing.length} rule(s) failed:`);
        lines.push(...failing.map(describeRule));
      } else if (report.verdict !== 'pass') {
        lines.push(`  verdict ${report.verdict}${report.notes.length > 0 ? `: ${report.notes.join('; ')}` : ''}`);
      }
      return lines.join('\n');
    },
  };
}

function ruleMatcher(name: string, want: 'pass' | 'fail') {
  return function (this: MatcherContext, received: unknown, rule: unknown): MatcherResult {
    assertReport(received, name);
    assertRuleId(rule, name);
    const result = received.results.find((r) => r.rule === rule);
    const pass = result?.status === want;
    return {
      pass,
      actual: result?.status ?? 'absent',
      expected: want,
      message: () => {
        const head = `expected rule ${rule} ${this.isNot ? 'not ' : ''}to ${want} for ${subject(received)}`;
        if (result === undefined) {
          const lifecycle = (LIFECYCLE_RULE_IDS as readonly string[]).includes(rule);
          const user = (USER_RULE_IDS as readonly string[]).includes(rule);
          const how = lifecycle
            ? ': life-cycle rules are judged only with { lifecycle: true } (check --lifecycle)'
            : user
              ? ': credential rules are judged only with { user: NAME } (check --user, as root)'
              : '';
          return `${head}, but the report has no result for it${how}`;
        }
        if (received.noDaemon !== null && result.status === 'skip') return `${head}, but no daemon was found, so it was not judged: ${received.noDaemon.reason}`;
        return `${head}, but it ${result.status === 'skip' ? 'was skipped' : `${result.status === 'pass' ? 'passed' : result.status === 'fail' ? 'failed' : 'was racy'}`}:\n${describeRule(result)}`;
      },
    };
  };
}

/** The matchers, for `expect.extend(matchers)`. Importing `daemonspec/vitest` installs them. */
export const matchers = {
  toConform,
  toPassRule: ruleMatcher('toPassRule', 'pass'),
  toFailRule: ruleMatcher('toFailRule', 'fail'),
};

export interface DaemonspecMatchers<R = unknown> {
  /**
   * Every judged rule passed (verdict `pass`; skipped rules do not count as failures). With a
   * profile name, the report must also have been checked under that profile.
   * @example expect(await checkDaemonAndCleanup(['my-daemon', '--detach'])).toConform('sysv')
   */
  toConform(profile?: string): R;
  /** The rule's status is `pass` (not `skip`, not `racy`). */
  toPassRule(rule: RuleId): R;
  /** The rule's status is `fail`. */
  toFailRule(rule: RuleId): R;
  /**
   * A fuzz report (fuzzDaemonAndCleanup) found no caller that breaks the daemon; the failure
   * message carries the shrunk caller, the failing rules and the replays.
   */
  toSurviveCallers(): R;
}
