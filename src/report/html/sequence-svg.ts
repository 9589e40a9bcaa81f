import type { Trace } from '../../trace/types.js';
import { esc } from './escape.js';
import { HEADER, hiddenNote, labelSpan, sequenceLayout, TARGET_WIDTH, timeText, type Label, type Lane, type Row, type SequenceLayout } from './sequence-layout.js';

/**
 * A trace's sequence diagram as an inline SVG (no external resources): a column per process
 * headed by its pid, role and programs; time running down with each row's time (ms since the
 * launcher's exec) on the left; forks as arrows to the child's line, a process's end as ✕ on
 * its line. Every mark says what it is in text (labels, bold milestones, shapes), colour only
 * repeats it; a label cut to fit, and every row, has its full text as a tooltip (<title>).
 */

function text(x: number, y: number, label: Label, cls: string, anchor: 'start' | 'middle' | 'end' = 'start'): string {
  const a = anchor === 'start' ? '' : ` text-anchor="${anchor}"`;
  const body = `<text x="${x}" y="${y}" class="${cls}"${a}>${esc(label.text)}</text>`;
  return label.text === label.full ? body : `<g><title>${esc(label.full)}</title>${body}</g>`;
}

const HEADER_CLASSES = ['seq-pid', 'seq-role', 'seq-prog'];

function laneSvg(lane: Lane, layout: SequenceLayout): string {
  const { x } = lane;
  const left = x - layout.column / 2 + 3;
  const cls = lane.role.replace(/[^a-z]+/g, '-');
  const parts = [
    `<g class="lane ${cls}" data-pid="${lane.pid}">`,
    `<rect x="${left}" y="${HEADER.top}" width="${layout.column - 6}" height="${layout.headerBottom - HEADER.top}" rx="4" class="seq-head"/>`,
    ...lane.header.map((label, i) => text(x, HEADER.top + 16 + i * HEADER.line, label, HEADER_CLASSES[i]!, 'middle')),
  ];
  if (lane.top > layout.headerBottom) parts.push(`<line x1="${x}" y1="${layout.headerBottom}" x2="${x}" y2="${lane.top}" class="seq-before"/>`);
  parts.push(`<line x1="${x}" y1="${lane.top}" x2="${x}" y2="${lane.bottom}" class="seq-life"/>`);
  const b = lane.bottom;
  if (!lane.open) parts.push(`<path d="M${x - 6},${b - 6} L${x + 6},${b + 6} M${x - 6},${b + 6} L${x + 6},${b - 6}" class="seq-end"/>`);
  parts.push('</g>');
  return parts.join('\n');
}

function mark(row: Row, x: number, id: string, layout: SequenceLayout): string {
  const y = row.markY;
  switch (row.kind) {
    case 'fork': {
      const to = layout.lanes[row.to!]!.x;
      return `<line x1="${x}" y1="${y}" x2="${to + (to > x ? -2 : 2)}" y2="${y}" class="seq-fork" marker-end="url(#${id}-seq-arrow)"/>`;
    }
    case 'milestone':
      return `<rect x="${x - 4}" y="${y - 4}" width="8" height="8" class="seq-milestone"/>`;
    case 'signal':
      return `<path d="M${x},${y - 5} L${x + 5},${y} L${x},${y + 5} L${x - 5},${y} z" class="seq-signal"/>`;
    case 'end':
      return ''; // the lane draws its end (✕); a thread's end is its label alone
    case 'call':
      return `<circle cx="${x}" cy="${y}" r="2.5" class="seq-call"/>`;
  }
}

function rowSvg(row: Row, i: number, id: string, layout: SequenceLayout): string {
  const lane = layout.lanes[row.lane]!;
  const time = timeText(row.time);
  const alt = i % 2 === 1 ? ' alt' : '';
  const [left, right] = labelSpan(row);
  const labelCls = `seq-label${row.kind === 'call' ? '' : ' strong'}`;
  return [
    `<g class="step ${row.kind}" data-pid="${lane.pid}"><title>${esc(`pid ${lane.pid} (${lane.role}) at ${time} ms: ${row.label.full}`)}</title>`,
    `<text x="${layout.gutter - 8}" y="${row.baseline}" class="seq-time" text-anchor="end">${time}</text>`,
    mark(row, lane.x, id, layout),
    // The label covers the other lanes' lines it crosses, as the row's own background.
    `<rect x="${left - 3}" y="${row.baseline - 12}" width="${right - left + 6}" height="15" class="seq-label-bg${alt}"/>`,
    text(row.labelX, row.baseline, row.label, labelCls, row.anchor),
    '</g>',
  ].join('');
}

/** The rows' stripes go first, under the lanes' lines; the rows' marks and labels last, over them. */
export function renderSequenceSvg(layout: SequenceLayout, id: string, ariaLabel: string): string {
  const { width, height } = layout;
  const stripes = layout.rows.map((r, i) => (i % 2 === 1 ? `<rect x="0" y="${r.top}" width="${width}" height="${r.height}" class="seq-zebra"/>` : ''));
  const rows = layout.rows.map((r, i) => rowSvg(r, i, id, layout));
  const last = layout.rows[layout.rows.length - 1];
  const note = layout.hidden > 0 ? text(12, (last ? last.top + last.height : layout.headerBottom) + 16, { text: hiddenNote(layout.hidden), full: hiddenNote(layout.hidden) }, 'seq-note') : '';
  return [
    `<svg class="sequence" role="img" aria-label="${esc(ariaLabel)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<defs><marker id="${id}-seq-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>`,
    ...stripes.filter(Boolean),
    text(layout.gutter - 8, HEADER.top + 16, { text: 'time', full: 'time' }, 'seq-role', 'end'),
    text(layout.gutter - 8, HEADER.top + 16 + HEADER.line, { text: '(ms)', full: '(ms)' }, 'seq-role', 'end'),
    ...layout.lanes.map((lane) => laneSvg(lane, layout)),
    ...rows,
    note,
    '</svg>',
  ].join('\n');
}

/**
 * The diagram of a report's trace in its box; `daemonPid` names the daemon (null: none found).
 * A diagram wider than TARGET_WIDTH (ten processes or more) scrolls in a box no taller than the
 * window, so both its scroll bars are in view.
 */
export function renderSequenceDiagram(trace: Trace, daemonPid: number | null, id: string): string {
  const layout = sequenceLayout(trace, daemonPid);
  const label = `system-call sequence diagram: ${layout.lanes.length} processes, ${layout.rows.length} steps drawn`;
  return `<div class="sequence-box${layout.width > TARGET_WIDTH ? ' wide' : ''}">${renderSequenceSvg(layout, id, label)}</div>`;
}
