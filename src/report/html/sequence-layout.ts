import type { Trace } from '../../trace/types.js';
import { lifelines, type Lifeline } from './sequence-lifelines.js';
import { diagramSteps, type DiagramStep, type StepKind } from './sequence-steps.js';

/**
 * Where everything of a trace's sequence diagram goes, in SVG user units (pure: a trace in,
 * positions out; sequence-svg.ts draws them). Lanes are columns left to right in lifeline order;
 * time runs down, one row per step (sequence-steps.ts). A fork is an arrow from its parent's lane
 * to the child's, whose line starts there; a process's end ends its line. A label goes right of
 * its mark, or left of it when the right would take the drawing past TARGET_WIDTH; widths come
 * from the text they hold (monospace), so nothing is cut but labels past LABEL_CHARS and header
 * lines past their column, which keep their full text for a tooltip.
 */

/** The width of a 12 px monospace character (labels, times, pids), rounded up (DejaVu Sans Mono: 7.22). */
export const CHAR = 7.4;
/** The width of an 11 px monospace character (a header's programs), rounded up (6.62). */
export const SMALL_CHAR = 6.7;
/** The width of an 11 px sans-serif character in a role's words, rounded up (DejaVu Sans: `off the chain` is 69 px, 5.3 a character). */
export const SANS_CHAR = 6;
export const LABEL_CHARS = 52;
/** The width the drawing keeps to when it can: a 1024 px window less the page's margins. */
export const TARGET_WIDTH = 960;
/** At most this many rows are drawn (a trace holds up to 20000 events); the text has the rest. */
export const MAX_ROWS = 400;
const ROW = 18;
const FORK_ROW = 26;
const MARGIN = 12;
export const HEADER = { top: 8, line: 15, lines: 3 };

/** A text as drawn and in full (the same when it fits). */
export interface Label {
  text: string;
  full: string;
}

export interface Lane extends Lifeline {
  /** The x of the lane's line, the middle of its column. */
  x: number;
  /** pid, role, programs: the header box's lines. */
  header: Label[];
  /** The y where the solid line starts (its fork's arrow or its first row) and ends (its end's row, or the bottom). */
  top: number;
  bottom: number;
  /** True when the line runs to the bottom: the process outlived the trace or its end is past the rows drawn. */
  open: boolean;
}

export interface Row {
  lane: number;
  kind: StepKind;
  time: number;
  top: number;
  height: number;
  /** The baseline of the row's time and label. */
  baseline: number;
  /** The y of the row's mark on its lane, or of its arrow. */
  markY: number;
  label: Label;
  /** Where the label is anchored: its start (right of the mark) or its end (left of it). */
  labelX: number;
  anchor: 'start' | 'end';
  to?: number;
}

export interface SequenceLayout {
  width: number;
  height: number;
  /** The time column's right edge (times are right-aligned at gutter - 8). */
  gutter: number;
  /** The bottom of the header boxes. */
  headerBottom: number;
  /** The width of a column (a header box is 6 narrower, its text at most HEADER_PAD narrower). */
  column: number;
  lanes: Lane[];
  rows: Row[];
  /** Steps past MAX_ROWS, not drawn. */
  hidden: number;
}

export function fit(text: string, max: number): Label {
  return { text: text.length <= max ? text : `${text.slice(0, max - 1)}…`, full: text };
}

export function timeText(time: number): string {
  return `+${time.toFixed(3)}`;
}

/** The left and right x of a row's label as drawn. */
export function labelSpan(row: Pick<Row, 'labelX' | 'anchor' | 'label'>): [number, number] {
  const w = Math.ceil(row.label.text.length * CHAR);
  return row.anchor === 'start' ? [row.labelX, row.labelX + w] : [row.labelX - w, row.labelX];
}

/** Right of the mark (a fork's: from the arrow's left end) if that stays within TARGET_WIDTH, else left of it if it fits there. */
function placeLabel(step: DiagramStep, laneX: readonly number[], gutter: number, text: string): Pick<Row, 'labelX' | 'anchor'> {
  const x = laneX[step.lane]!;
  const other = step.to === undefined ? x : laneX[step.to]!;
  const w = Math.ceil(text.length * CHAR);
  const start = Math.min(x, other) + 10;
  const end = Math.max(x, other) - 10;
  if (start + w <= TARGET_WIDTH - MARGIN || end - w < gutter) return { labelX: start, anchor: 'start' };
  return { labelX: end, anchor: 'end' };
}

function placeRows(steps: readonly DiagramStep[], laneX: readonly number[], gutter: number, top: number): Row[] {
  let y = top;
  return steps.map((step) => {
    const fork = step.kind === 'fork';
    const label = fit(step.text, LABEL_CHARS);
    const row: Row = {
      lane: step.lane, kind: step.kind, time: step.time, top: y, height: fork ? FORK_ROW : ROW,
      // A fork's label sits above its arrow; other labels on the mark's line.
      baseline: fork ? y + 12 : y + 13, markY: fork ? y + 19 : y + 9,
      label, ...placeLabel(step, laneX, gutter, label.text),
    };
    if (step.to !== undefined) row.to = step.to;
    y += row.height;
    return row;
  });
}

/** Room in a column for its header's text: the box is 6 narrower than the column, its text 8 narrower than the box. */
export const HEADER_PAD = 14;

/** The column: as wide as the widest pid and role (`off the chain`, 5-digit pids: 92; nine lanes within TARGET_WIDTH). */
function columnWidth(lives: readonly Lifeline[]): number {
  const widest = Math.max(...lives.flatMap((l) => [`pid ${l.pid}`.length * CHAR, l.role.length * SANS_CHAR]));
  return Math.min(176, Math.max(92, Math.ceil(widest) + HEADER_PAD));
}

/** pid, role, programs; when they do not all fit, the last one run, after `… →`. */
function header(l: Lifeline, column: number): Label[] {
  const chars = Math.floor((column - HEADER_PAD) / SMALL_CHAR);
  const all = l.programs.join(' → ');
  const last = l.programs.length > 1 && all.length > chars ? `… → ${l.programs[l.programs.length - 1]}` : all;
  const programs = l.programs.length === 0 ? fit('(no exec)', chars) : { ...fit(last, chars), full: all };
  return [fit(`pid ${l.pid}`, Math.floor((column - HEADER_PAD) / CHAR)), fit(l.role, Math.floor((column - HEADER_PAD) / SANS_CHAR)), programs];
}

/** The lanes' lines: from the fork that made each (or its first row) to its end (or the bottom). */
function spans(lanes: readonly Lifeline[], rows: readonly Row[], closed: ReadonlySet<number>, headerBottom: number, bottom: number): Pick<Lane, 'top' | 'bottom' | 'open'>[] {
  return lanes.map((_l, lane) => {
    const fork = rows.find((r) => r.kind === 'fork' && r.to === lane);
    const own = rows.filter((r) => r.lane === lane);
    const top = fork?.markY ?? own[0]?.top ?? headerBottom + 8;
    const last = own[own.length - 1];
    return last !== undefined && closed.has(lane) ? { top, bottom: last.markY, open: false } : { top, bottom, open: true };
  });
}

/** The diagram of `trace`; `daemonPid` names the daemon (null: none found). */
export function sequenceLayout(trace: Trace, daemonPid: number | null, maxRows = MAX_ROWS): SequenceLayout {
  const lives = lifelines(trace, daemonPid);
  const all = diagramSteps(trace, lives);
  const steps = all.slice(0, maxRows);
  const hidden = all.length - steps.length;
  const column = columnWidth(lives);
  const gutter = Math.ceil(Math.max(6, ...steps.map((s) => timeText(s.time).length)) * CHAR) + 16;
  const laneX = lives.map((_l, i) => gutter + column / 2 + i * column);
  const headerBottom = HEADER.top + 8 + HEADER.line * HEADER.lines;
  const rows = placeRows(steps, laneX, gutter, headerBottom + 16);
  const last = rows[rows.length - 1];
  const bottom = (last ? last.top + last.height : headerBottom + 16) + (hidden > 0 ? ROW + 8 : 8);
  // A line ends where its process ended, if that step is drawn.
  const closed = new Set(steps.filter((s) => s.final).map((s) => s.lane));
  const lineSpans = spans(lives, rows, closed, headerBottom, bottom);
  const lanes = lives.map((l, i) => ({ ...l, x: laneX[i]!, header: header(l, column), ...lineSpans[i]! }));
  const extents = [
    gutter,
    ...laneX.map((x) => x + column / 2 - MARGIN),
    ...rows.map((r) => labelSpan(r)[1]),
    hidden > 0 ? MARGIN + Math.ceil(hiddenNote(hidden).length * CHAR) : 0,
  ];
  return { width: Math.ceil(Math.max(...extents)) + MARGIN, height: bottom + MARGIN, gutter, headerBottom, column, lanes, rows, hidden };
}

/** The line under the last row when rows were left out. */
export function hiddenNote(hidden: number): string {
  return `… ${hidden} more step${hidden === 1 ? '' : 's'} not drawn: the text below has them all`;
}
