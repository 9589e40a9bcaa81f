import type { CheckReport, RuleResult } from '../check/report-types.js';
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

function suite(named: NamedReport, index: number): { xml: string; tests: number; failures: number; skipped: number; ms: number } {
  const { report } = named;
  const counts = countStatuses(report.results);
  const failures = counts.fail + counts.racy;
  const classname = `daemonspec.${report.profile}`;
  const properties: Record<string, string> = {
    command: shellQuote(report.command),
    profile: report.profile,
    isolation: report.isolation,
    verdict: report.verdict,
    'launcher.exitCode': String(report.launcher.exitCode),
    'launcher.readyAtExit': String(report.launcher.readyAtExit),
    'daemon.pid': report.daemon === null ? 'none' : String(report.daemon.pid),
    runs: String(report.runs),
  };
  const lines = [
    `  <testsuite${attrs({ name: named.name, id: index, tests: report.results.length, failures, errors: 0, skipped: counts.skip, time: seconds(report.durationMs) })}>`,
    '    <properties>',
    ...Object.entries(properties).map(([name, value]) => `      <property${attrs({ name, value })}/>`),
    '    </properties>',
    ...report.results.map((r) => testcase(r, classname, '    ')),
  ];
  const out = [...report.notes, ...(report.cleanup.leftRunning.length > 0 ? [`left running: ${report.cleanup.leftRunning.join(', ')}`] : [])];
  if (out.length > 0) lines.push(`    <system-out>${xmlText(out.join('\n'))}</system-out>`);
  if (report.terminalOutput !== '') lines.push(`    <system-err>${xmlText(report.terminalOutput)}</system-err>`);
  lines.push('  </testsuite>');
  return { xml: lines.join('\n'), tests: report.results.length, failures, skipped: counts.skip, ms: report.durationMs };
}

/**
 * JUnit XML for CI dashboards (`daemonspec check --junit FILE`, the fixture matrix): one
 * `<testsuite>` per report, one `<testcase>` per rule; a failed or racy rule is a `<failure>`
 * with the message as its attribute and expected / actual / fix / reference as its text; a
 * skipped rule is `<skipped/>`. Text the XML cannot carry (control characters) is made visible.
 */
export function renderJunit(input: JunitInput): string {
  const list = (Array.isArray(input) ? input : [input]) as (CheckReport | NamedReport)[];
  const named = list.map((item) => (isNamed(item) ? item : { name: shellQuote(item.command), report: item }));
  const suites = named.map((n, i) => suite(n, i));
  const sum = (key: 'tests' | 'failures' | 'skipped' | 'ms'): number => suites.reduce((acc, s) => acc + s[key], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'daemonspec', tests: sum('tests'), failures: sum('failures'), errors: 0, skipped: sum('skipped'), time: seconds(sum('ms')) })}>`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}
