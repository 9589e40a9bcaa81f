import { shellQuote } from '../report/format.js';
import type { HtmlReportInput, HtmlSection } from '../report/html/index.js';
import type { FuzzReport } from './index.js';
import { runsText } from './render.js';

/** What the plain caller already fails, in words (not counted against the generated callers). */
function baselineText(report: FuzzReport): string {
  const { baseline } = report;
  if (baseline.noDaemon !== null) return `No daemon even from the plain caller: ${baseline.noDaemon}.`;
  if (baseline.failing.length > 0) return `From the plain caller already failing, not counted: ${baseline.failing.join(', ')}.`;
  return 'The plain caller passes.';
}

/** The shrunk caller: what in it breaks which rule, and the two command lines that replay it. */
function counterexampleSection(report: FuzzReport): HtmlSection {
  const found = report.counterexample;
  if (found === null) {
    return { heading: 'No caller broke the daemon', paragraphs: [{ text: `${report.runs} generated callers, ${report.durationMs} ms. ${baselineText(report)}` }] };
  }
  return {
    heading: `The smallest caller that breaks the daemon (shrunk ${found.shrinks} time${found.shrinks === 1 ? '' : 's'})`,
    paragraphs: [
      ...found.explanation.split('\n').map((text) => ({ text })),
      { text: baselineText(report) },
      { text: 'Replay this caller:' },
      { text: found.replay, code: true },
      { text: 'The same caller planted in a plain check:' },
      { text: found.checkReplay, code: true },
      { text: `The caller as --caller-json: ${JSON.stringify(found.caller)}`, code: true },
    ],
  };
}

/** Every run in order: its phase, the caller in words, what it broke. */
function runsSection(report: FuzzReport): HtmlSection {
  return {
    heading: 'Every run',
    table: {
      caption: `${report.trials.length} runs from seed ${report.seed}: the search, then the shrinking (passed: nothing broke)`,
      columns: ['#', 'phase', 'caller', 'broke', 'ms'],
      rows: report.trials.map((t, i) => [String(i + 1), t.phase, t.words, t.failing.length === 0 ? 'passed' : t.failing.join(', '), String(t.durationMs)]),
    },
  };
}

/**
 * `fuzz --html`: the shrunk caller and its replays, every run, and the counterexample's check
 * drawn as `check --html` draws it (its chain, rules, fds and signal sets).
 */
export function fuzzPage(report: FuzzReport, os: string = process.platform): HtmlReportInput {
  const tool = report.command[0]?.split('/').pop() ?? 'command';
  const found = report.counterexample;
  return {
    title: `daemonspec fuzz: ${report.verdict === 'pass' ? '✓ pass' : '✗ FAIL'} · ${tool}`,
    subtitle: `${shellQuote(report.command)} · seed ${report.seed}${report.path === null ? '' : ` · path ${report.path}`} · ${runsText(report)}, ${report.jobs} at a time`,
    summary: found === null
      ? `${report.runs} run${report.runs === 1 ? '' : 's'}: no caller broke the daemon.`
      : `${report.runs} run${report.runs === 1 ? '' : 's'}: a caller breaks the daemon (${found.failing.join(', ')}); its check is drawn below.`,
    sections: [counterexampleSection(report), runsSection(report)],
    checks: found === null ? [] : [{ tool: `smallest caller: ${found.words}`, isolation: found.report.isolation, os, report: found.report }],
  };
}
