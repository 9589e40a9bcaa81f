import type { CheckReport, RuleResult } from '../check/report-types.js';
import { chosenNote } from './findings.js';
import { formatValue, shellQuote } from './format.js';
import { countStatuses } from './text.js';
import { attrs, xmlText } from './xml.js';

/** A report with the name its test suite gets (default: the command line). */
export interface NamedReport {
  name: string;
  report: CheckReport;
}

export type JunitInput = CheckReport | NamedReport | readonly (CheckReport | NamedReport)[];

function isNamed(value: CheckReport | NamedReport): value is NamedReport {
  return 'report' in value && 'name' in value;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function details(r: RuleResult): string {
  const lines = [
    r.message,
    `expected: ${formatValue(r.rule, r.expected)}`,
    `actual: ${formatValue(r.rule, r.actual)}`,
  ];
  if (r.runs) lines.push(`runs: ${r.runs.join(', ')}`);
  const note = chosenNote(r);
  if (note) lines.push(`note: ${note}`);
  if (r.fix !== '') lines.push(`fix: ${r.fix}`);
  if (r.reference !== '') lines.push(`reference: ${r.reference}`);
  return lines.join('\n');
}

function testcase(r: RuleResult, classname: string, indent: string): string {
  const open = `${indent}<testcase${attrs({ name: `${r.rule}: ${r.title}`, classname, time: '0.000' })}`;
  switch (r.status) {
    case 'pass':
      return `${open}/>`;
    case 'skip':
      return `${open}>\n${indent}  <skipped${attrs({ message: r.message })}/>\n${indent}</testcase>`;
    case 'fail':
    case 'racy':
      return (
        `${open}>\n${indent}  <failure${attrs({ message: r.message, type: r.status === 'racy' ? 'racy' : 'rule-failed' })}>` +
        `${xmlText(details(r))}</failure>\n${indent}</testcase>`
      );
  }
}

/** No daemon found: an `<error>` (the daemon's rules could not run), the first testcase of its suite. */
function noDaemonCase(report: CheckReport, classname: string, indent: string): string[] {
  if (report.noDaemon === null) return [];
  const { reason, lastLines } = report.noDaemon;
  const text = lastLines.length > 0 ? `${reason}\nlast output of the command:\n${lastLines.join('\n')}` : reason;
  return [
    `${indent}<testcase${attrs({ name: 'daemon: the command leaves a daemon to judge', classname, time: '0.000' })}>`,
    `${indent}  <error${attrs({ message: `no daemon found: ${reason}`, type: 'no-daemon' })}>${xmlText(text)}</error>`,
    `${indent}</testcase>`,
  ];
}

function systemOut(report: CheckReport): string[] {
  return [
    ...(report.noDaemon !== null ? [`no daemon found: ${report.noDaemon.reason}`] : []),
    ...report.results.flatMap((r) => {
      const note = chosenNote(r);
      return note ? [`note: ${r.rule}: ${note}`] : [];
    }),
    ...report.notes,
    ...(report.cleanup.leftRunning.length > 0 ? [`left running: ${report.cleanup.leftRunning.join(', ')}`] : []),
  ];
}

function suite(named: NamedReport, index: number, os: string): { xml: string; tests: number; failures: number; errors: number; skipped: number; ms: number } {
  const { report } = named;
  const counts = countStatuses(report.results);
  const failures = counts.fail + counts.racy;
  const errors = report.noDaemon === null ? 0 : 1;
  const tests = report.results.length + errors;
  // The OS and the isolation first, so reports from a CI job matrix stay apart in a dashboard.
  const classname = `daemonspec.${os}.${report.isolation}.${report.profile.replace(/[^\w-]/g, '_')}`;
  const properties: Record<string, string> = {
    command: shellQuote(report.command),
    profile: report.profile,
    isolation: report.isolation,
    seed: report.seed,
    strict: String(report.strict),
    verdict: report.verdict,
    'launcher.exitCode': String(report.launcher.exitCode),
    'launcher.readyAtExit': String(report.launcher.readyAtExit),
    'daemon.pid': report.daemon === null ? 'none' : String(report.daemon.pid),
    runs: String(report.runs),
  };
  const lines = [
    `  <testsuite${attrs({ name: named.name, id: index, tests, failures, errors, skipped: counts.skip, time: seconds(report.durationMs) })}>`,
    '    <properties>',
    ...Object.entries(properties).map(([name, value]) => `      <property${attrs({ name, value })}/>`),
    '    </properties>',
    ...noDaemonCase(report, classname, '    '),
    ...report.results.map((r) => testcase(r, classname, '    ')),
  ];
  const out = systemOut(report);
  if (out.length > 0) lines.push(`    <system-out>${xmlText(out.join('\n'))}</system-out>`);
  if (report.terminalOutput !== '') lines.push(`    <system-err>${xmlText(report.terminalOutput)}</system-err>`);
  lines.push('  </testsuite>');
  return { xml: lines.join('\n'), tests, failures, errors, skipped: counts.skip, ms: report.durationMs };
}

/**
 * JUnit XML for CI dashboards (`daemonspec check --junit FILE`, the fixture matrix): one
 * `<testsuite>` per report, one `<testcase>` per rule; a failed or racy rule is a `<failure>`
 * with the message as its attribute and expected / actual / fix / reference as its text; a
 * skipped rule is `<skipped/>`. When no daemon was found, a first testcase carries an `<error>`
 * with the reason and the command's last output (the daemon's rules are skipped, not judged).
 * Classnames are `daemonspec.<os>.<isolation>.<profile>`. The seed is a property; notes on chosen state go to `<system-out>`. Text the XML cannot carry (control characters) is made visible.
 */
export function renderJunit(input: JunitInput, options: { os?: string } = {}): string {
  const list = (Array.isArray(input) ? input : [input]) as (CheckReport | NamedReport)[];
  const named = list.map((item) => (isNamed(item) ? item : { name: shellQuote(item.command), report: item }));
  const suites = named.map((n, i) => suite(n, i, options.os ?? process.platform));
  const sum = (key: 'tests' | 'failures' | 'errors' | 'skipped' | 'ms'): number => suites.reduce((acc, s) => acc + s[key], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'daemonspec', tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), skipped: sum('skipped'), time: seconds(sum('ms')) })}>`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}
