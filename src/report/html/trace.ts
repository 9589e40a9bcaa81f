import type { CheckReport } from '../../check/report-types.js';
import { traceLines } from '../trace-text.js';
import { esc } from './escape.js';
import { renderSequenceDiagram } from './sequence-svg.js';

/**
 * A check's system-call trace (`check --trace`, Linux, strace): drawn as a sequence diagram (a
 * lifeline per process from the launcher down to the daemon, forks as arrows, the calls that make
 * a daemon as labelled marks in time order; sequence-svg.ts), and below it, folded, the text the
 * text report prints (one block per process, runs of one call folded). A report without a trace
 * gets nothing.
 */
export function renderTraceSection(report: CheckReport, id: string): string {
  const { trace } = report;
  if (trace === undefined || trace === null) return '';
  const daemonPid = report.daemon?.pid ?? null;
  const lines = traceLines(trace, daemonPid);
  return [
    `<section class="trace" id="${esc(id)}-trace" data-section="trace">`,
    '<h3>Trace (strace)</h3>',
    `<p class="meta">${esc(lines[0]!.replace(/^trace \((.*)\):$/, '$1'))}. A column per process; each row one call (a run of one call folded: ×N), its time on the left; ▪ and bold: the steps that make a daemon; ◇ a signal; ✕ the process ends. Hover a row for its full text.</p>`,
    renderSequenceDiagram(trace, daemonPid, id),
    '<details class="trace-text"><summary>The trace as text</summary>',
    `<pre>${esc(lines.join('\n'))}</pre>`,
    '</details>',
    '</section>',
  ].join('\n');
}
