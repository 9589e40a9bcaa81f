/**
 * Statistics and tables for the benchmarks.
 *
 * These machines are noisy (shared 2-core VMs), so a figure alone means little: every
 * comparison is made between cases measured in the same run, round by round, in an order
 * that rotates each round (A B C, B C A, C A B ...), after a warm-up of every case.
 */

/**
 * What summarize() returns: the count, median, min and max of the samples (NaNs when n is 0).
 * @typedef {{ n: number, median: number, min: number, max: number }} Summary
 */

/**
 * One case of interleave(): `run(round)` resolves with one sample, or with null (or undefined) to
 * drop it; `round` counts from 0, and is negative (-1, -2 ...) for the warm-up runs.
 * @typedef {{ name: string, run: (round: number) => Promise<number | null | undefined> }} Case
 */

/** @typedef {{ warmup?: number, rounds?: number, onRound?: (round: number) => void }} InterleaveOptions */

/**
 * One cell of a table (String() of it; null and undefined print empty).
 * @typedef {string | number | boolean | null | undefined} Cell
 */

/**
 * Median of a list of numbers (the mean of the two middle values for an even count); NaN when empty.
 * @param {readonly number[]} values
 * @returns {number}
 */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * { n, median, min, max } of a list of samples.
 * @param {readonly number[]} values
 * @returns {Summary}
 */
export function summarize(values) {
  if (values.length === 0) return { n: 0, median: Number.NaN, min: Number.NaN, max: Number.NaN };
  return { n: values.length, median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * Runs every case `warmup` times (results dropped), then `rounds` rounds in which every case
 * runs once, the order rotated each round so that no case always follows the same one.
 * A case is `{ name, run }` where `run(round)` resolves with one sample (milliseconds, bytes...)
 * or with `null` to drop the sample. Returns `Map(name → samples[])`.
 *
 * @example
 * const samples = await interleave([{ name: 'a', run: timeA }, { name: 'b', run: timeB }], { warmup: 2, rounds: 10 });
 * @param {readonly Case[]} cases
 * @param {InterleaveOptions} [options]
 * @returns {Promise<Map<string, number[]>>} an entry for every case's name (empty when every sample was dropped)
 */
export async function interleave(cases, { warmup = 1, rounds = 10, onRound } = {}) {
  /** @type {Map<string, number[]>} */
  const samples = new Map(cases.map((c) => [c.name, []]));
  for (let w = 0; w < warmup; w++) for (const c of cases) await c.run(-1 - w);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(k + round) % cases.length];
      const value = await c.run(round);
      if (value !== null && value !== undefined) /** @type {number[]} */ (samples.get(c.name)).push(value);
    }
    onRound?.(round);
  }
  return samples;
}

/**
 * Times an async function in milliseconds (high-resolution clock).
 * @param {() => unknown} fn awaited; what it resolves with is dropped
 * @returns {Promise<number>}
 */
export async function timeMs(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Ratio of two medians (a / b); NaN when either is missing.
 * @param {number} a
 * @param {number} b
 * @returns {number}
 */
export function ratio(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN;
  return a / b;
}

/**
 * Median of the per-round ratios a[i] / b[i]: robust when the machine's speed drifts during a run.
 * @param {readonly number[]} a
 * @param {readonly number[]} b
 * @returns {number} NaN when no round pairs with b[i] > 0
 */
export function pairedRatio(a, b) {
  const n = Math.min(a.length, b.length);
  /** @type {number[]} */
  const ratios = [];
  for (let i = 0; i < n; i++) if (b[i] > 0) ratios.push(a[i] / b[i]);
  return median(ratios);
}

/**
 * A number with sensible precision for a table: 0.0123 → "0.0123", 12.34 → "12.3", 1234 → "1234".
 * @param {number | null | undefined} value '–' when missing or NaN
 * @param {string} [unit]
 * @returns {string}
 */
export function fmt(value, unit = '') {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const text =
    abs === 0 ? '0' : abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : abs >= 1 ? value.toFixed(2) : abs >= 0.01 ? value.toFixed(3) : value.toPrecision(2);
  return unit ? `${text} ${unit}` : text;
}

/**
 * "12.3 (11.9–14.0)": median with min and max, in one cell.
 * @param {Summary | null | undefined} summary '–' when missing or empty
 * @param {string} [unit]
 * @returns {string}
 */
export function fmtSummary(summary, unit = '') {
  if (!summary || summary.n === 0) return '–';
  return `${fmt(summary.median)} (${fmt(summary.min)}–${fmt(summary.max)})${unit ? ' ' + unit : ''}`;
}

/**
 * "1.84×"
 * @param {number | null | undefined} value '–' when missing or not finite
 * @returns {string}
 */
export function fmtRatio(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(2)}×`;
}

/**
 * @param {Cell} value
 * @returns {string}
 */
function cellText(value) {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * A plain-text table with aligned columns: `columns` are header strings, `rows` arrays of cells.
 * @param {readonly string[]} columns
 * @param {readonly (readonly Cell[])[]} rows
 * @returns {string}
 */
export function textTable(columns, rows) {
  const all = [columns, ...rows].map((row) => row.map(cellText));
  const widths = columns.map((_, i) => Math.max(...all.map((row) => [...(row[i] ?? '')].length)));
  /** @param {string[]} row */
  const line = (row) =>
    row
      .map((cell, i) => cell + ' '.repeat(widths[i] - [...cell].length))
      .join('  ')
      .trimEnd();
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

/**
 * A GitHub-flavoured markdown table; `|` inside cells is escaped.
 * @param {readonly string[]} columns
 * @param {readonly (readonly Cell[])[]} rows
 * @returns {string}
 */
export function markdownTable(columns, rows) {
  /** @param {Cell} cell */
  const esc = (cell) => cellText(cell).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    `| ${columns.map(esc).join(' | ')} |`,
    `|${columns.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${columns.map((_, i) => esc(row[i])).join(' | ')} |`),
  ].join('\n');
}
