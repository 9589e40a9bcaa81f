import type { CheckReport } from '../../check/report-types.js';
import { traceLines } from '../trace-text.js';
import { esc } from './escape.js';

/**
 * A check's system-call trace (`check --trace`, Linux, strace): each process's sequence of the
 * calls that make a daemon, as the text report prints it (one line per process, pids in order of
 * appearance, runs of one call folded). A report without a trace gets nothing. Not yet a drawn
 * sequence diagram: the text form is what the page shows.
 */
export function renderTraceSection(report: CheckReport, id: string): string {
  const { trace } = report;
  if (trace === undefined || trace === null) return '';
  return [
    `<section class="trace" id="${esc(id)}-trace" data-section="trace">`,
    '<h3>Trace (strace)</h3>',
    `<pre>${esc(traceLines(trace, report.daemon?.pid ?? null).join('\n'))}</pre>`,
    '</section>',
  ].join('\n');
}
