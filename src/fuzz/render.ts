import { shellQuote } from '../report/format.js';
import { toJsonObject } from '../report/json.js';
import { attrs, xmlText } from '../report/xml.js';
import type { FuzzReport } from './index.js';

/** `4 runs`, or `21 runs (4 searching, 17 shrinking)`: --runs counts the search only. */
export function runsText(report: Pick<FuzzReport, 'runs' | 'trials'>): string {
  const shrinking = report.trials.filter((trial) => trial.phase === 'shrink').length;
  const total = `${report.runs} run${report.runs === 1 ? '' : 's'}`;
  return shrinking === 0 ? total : `${total} (${report.runs - shrinking} searching, ${shrinking} shrinking)`;
}

/** `daemonspec fuzz` as text: the verdict, the shrunk caller in words, the failing rules, the replays. */
export function renderFuzzText(report: FuzzReport): string {
  const lines = [`daemonspec fuzz ${shellQuote(report.command)}`];
  const base = report.baseline.noDaemon !== null
    ? `no daemon even from the plain caller (${report.baseline.noDaemon})`
    : report.baseline.failing.length > 0
      ? `from the plain caller already failing (not counted): ${report.baseline.failing.join(', ')}`
      : 'the plain caller passes';
  lines.push(`  seed ${report.seed}${report.path === null ? '' : `, path ${report.path}`}; ${runsText(report)}, ${report.jobs} at a time; ${base}`);
  const found = report.counterexample;
  if (found === null) {
    lines.push(`PASS no caller of ${report.runs} broke the daemon in ${report.durationMs} ms`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `FAIL a caller breaks the daemon (shrunk ${found.shrinks} time${found.shrinks === 1 ? '' : 's'}):`,
    ...found.explanation.split('\n').map((l) => `  ${l}`),
    `  caller: ${JSON.stringify(found.caller)}`,
    `  replay: ${found.replay}`,
    `  as a check: ${found.checkReplay}`,
  );
  return `${lines.join('\n')}\n`;
}

/** `--json`: one object; the counterexample's check report in the check report's key order. */
export function renderFuzzJson(report: FuzzReport): string {
  const found = report.counterexample;
  const out = found === null ? report : { ...report, counterexample: { ...found, report: toJsonObject(found.report) } };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** JUnit: one testcase per run (a failure names what broke), and one for the shrunk counterexample. */
export function renderFuzzJunit(report: FuzzReport): string {
  const classname = 'daemonspec.fuzz';
  const cases = report.trials.map((t, i) => {
    const open = `    <testcase${attrs({ name: `${t.phase} ${i + 1}: ${t.words}`, classname, time: (t.durationMs / 1000).toFixed(3) })}`;
    if (t.failing.length === 0) return `${open}/>`;
    return `${open}>\n      <failure${attrs({ message: `fails: ${t.failing.join(', ')}`, type: 'caller-breaks-daemon' })}/>\n    </testcase>`;
  });
  const found = report.counterexample;
  if (found !== null) {
    cases.push(
      `    <testcase${attrs({ name: `counterexample: ${found.words}`, classname, time: '0.000' })}>`,
      `      <failure${attrs({ message: `with ${found.words} in the caller: ${found.failing.join(', ')}`, type: 'counterexample' })}>${xmlText(`${found.explanation}\nreplay: ${found.replay}\nas a check: ${found.checkReplay}`)}</failure>`,
      '    </testcase>',
    );
  }
  const failures = report.trials.filter((t) => t.failing.length > 0).length + (found === null ? 0 : 1);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'daemonspec fuzz', tests: cases.length === 0 ? 0 : report.trials.length + (found === null ? 0 : 1), failures, time: (report.durationMs / 1000).toFixed(3) })}>`,
    `  <testsuite${attrs({ name: `fuzz ${shellQuote(report.command)}`, tests: report.trials.length + (found === null ? 0 : 1), failures, errors: 0, skipped: 0, time: (report.durationMs / 1000).toFixed(3) })}>`,
    '    <properties>',
    `      <property${attrs({ name: 'seed', value: String(report.seed) })}/>`,
    `      <property${attrs({ name: 'runs', value: String(report.runs) })}/>`,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
