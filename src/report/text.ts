import { describeCaller } from '../check/caller-words.js';
import type { CheckReport, RuleResult, RuleStatus } from '../check/report-types.js';
import { signalName } from '../ffi/constants.js';
import { chosenNote } from './findings.js';
import { formatValue, shellQuote, visible } from './format.js';
import { traceLines } from './trace-text.js';

export interface TextOptions {
  /** ANSI colour; the CLI passes `colorFor(process.stdout)`. @default false */
  color?: boolean;
}

const MARK: Record<RuleStatus, string> = { pass: '✓', fail: '✗', skip: '–', racy: '~' };
const SGR = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
type Style = keyof typeof SGR;
const STATUS_STYLE: Record<RuleStatus, Style> = { pass: 'green', fail: 'red', skip: 'dim', racy: 'yellow' };

function painter(color: boolean): (style: Style, text: string) => string {
  return color ? (style, text) => `\u001b[${SGR[style]}m${text}\u001b[0m` : (_style, text) => text;
}

function indentLines(text: string, prefix: string): string[] {
  return visible(text)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => prefix + line);
}

function ruleLines(r: RuleResult, width: number, paint: (style: Style, text: string) => string): string[] {
  const head = `  ${paint(STATUS_STYLE[r.status], MARK[r.status])} ${r.rule.padEnd(width)}  ${visible(r.title)}`;
  const values = `expected ${formatValue(r.rule, r.expected)}, actual ${formatValue(r.rule, r.actual)}`;
  const note = chosenNote(r);
  switch (r.status) {
    case 'pass':
      return [`${head}  ${paint('dim', `(${values})`)}`, ...(note ? indentLines(`note: ${note}`, '      ') : [])];
    case 'skip':
      return [`${head}  ${paint('dim', `skipped: ${visible(r.message)}`)}`];
    case 'racy':
    case 'fail': {
      const lines = [`${head}  ${paint(STATUS_STYLE[r.status], values)}`];
      if (r.status === 'racy' && r.runs) lines.push(`      runs: ${r.runs.join(', ')}`);
      lines.push(...indentLines(r.message, '      '));
      if (note) lines.push(...indentLines(`note: ${note}`, '      '));
      if (r.fix !== '') lines.push(...indentLines(`fix: ${r.fix}`, '      '));
      return lines;
    }
  }
}

function launcherExit(l: CheckReport['launcher']): string {
  if (l.timedOut) return 'did not exit (timed out, killed)';
  if (l.shellEnded !== undefined) return `shell ${l.shellEnded} before the command returned`;
  if (l.signal !== null) return `killed by ${l.signal}`;
  return l.exitCode === null ? 'did not exit' : `exited ${l.exitCode}`;
}

function launcherSummary(report: CheckReport): string {
  const l = report.launcher;
  const ready = l.readyAtExit === null ? '' : `, ready at exit: ${l.readyAtExit ? 'yes' : 'no'}`;
  return `launcher ${launcherExit(l)}${ready}`;
}

/**
 * The traps of this run in one line: the values a judged daemon shows when it kept them (umask
 * 0077, say, is the checker's, not a choice of the daemon's).
 */
function trapsSummary(report: CheckReport): string {
  const c = report.caller;
  const names = (signals: readonly number[]): string => signals.map(signalName).join(' ') || 'none';
  const fds = c.fds.map((f) => `${f.fd} (${f.kind})`).join(', ') || 'none';
  return (
    `  traps planted by the checker, for the daemon to undo: umask ${c.umask.toString(8).padStart(4, '0')}, ` +
    `blocked ${names(c.blockedSignals)}, ignored ${names(c.ignoredSignals)}, leaked fds ${fds}, cwd ${visible(c.cwd)}`
  );
}

function daemonSummary(report: CheckReport): string {
  const d = report.daemon;
  if (d === null) return 'no daemon found';
  return `daemon pid ${d.pid} (ppid ${d.ppid}, pgid ${d.pgid}, sid ${d.sid})`;
}

/** Counts of each status, in a fixed order. */
export function countStatuses(results: readonly RuleResult[]): Record<RuleStatus, number> {
  const counts: Record<RuleStatus, number> = { pass: 0, fail: 0, skip: 0, racy: 0 };
  for (const r of results) counts[r.status] += 1;
  return counts;
}

/**
 * The human report: a header (command, profile, launcher, daemon), one line per rule
 * (✓ pass, ✗ fail, – skipped, ~ racy) with expected and actual values, the message and fix
 * hint under each failure, then notes and a summary line. Ends with a newline.
 */
export function renderText(report: CheckReport, options: TextOptions = {}): string {
  const paint = painter(options.color === true);
  const width = Math.max(0, ...report.results.map((r) => r.rule.length));
  const counts = countStatuses(report.results);
  const lines: string[] = [];
  lines.push(`${paint('bold', 'daemonspec check')} ${visible(shellQuote(report.command))}`);
  const runs = report.runs > 1 ? `, ${report.runs} runs` : '';
  const strict = report.strict ? ', strict' : '';
  lines.push(
    `  profile ${visible(report.profile)}${strict}, isolation ${report.isolation}${runs}, seed ${visible(report.seed)}; ${launcherSummary(report)}; ${daemonSummary(report)}`,
    trapsSummary(report),
  );
  if (report.caller.spec !== undefined) lines.push(`  caller (planted as given, no seeded traps): ${describeCaller(report.caller.spec)}`);
  lines.push('');
  if (report.noDaemon !== null) {
    // The one finding that explains every rule not judged below: said first.
    lines.push(paint('red', `no daemon found: ${visible(report.noDaemon.reason)}`));
    if (report.noDaemon.lastLines.length > 0) lines.push('  last output of the command:', ...report.noDaemon.lastLines.map((l) => `    ${visible(l)}`));
    lines.push('');
  }
  for (const r of report.results) lines.push(...ruleLines(r, width, paint));
  if (report.notes.length > 0 || report.cleanup.leftRunning.length > 0) lines.push('');
  for (const note of report.notes) lines.push(...indentLines(note, 'note: '));
  if (report.cleanup.leftRunning.length > 0) {
    lines.push(paint('red', `warning: still running after the check: ${report.cleanup.leftRunning.join(', ')}`));
  }
  if (report.trace) lines.push('', ...traceLines(report.trace, report.daemon?.pid ?? null));
  lines.push('');
  const parts = [...(report.noDaemon !== null ? ['no daemon found'] : []), `${counts.pass} passed`];
  if (counts.fail > 0) parts.push(`${counts.fail} failed`);
  if (counts.racy > 0) parts.push(`${counts.racy} racy`);
  if (counts.skip > 0) parts.push(`${counts.skip} skipped`);
  const verdict = report.verdict === 'pass' ? paint('green', 'PASS') : paint('red', 'FAIL');
  lines.push(`${paint('bold', verdict)} ${parts.join(', ')} of ${report.results.length} rules in ${Math.round(report.durationMs)} ms`);
  return `${lines.join('\n')}\n`;
}
