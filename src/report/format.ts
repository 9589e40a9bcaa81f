import type { RuleId } from '../check/report-types.js';

// Control characters (but not newline and tab) made visible, so a daemon's output or a path
// cannot move the cursor or recolour the terminal that reads a report.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function visible(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** An expected or actual value as a short human string (octal for umask, `none` for null). */
export function formatValue(rule: RuleId | string, value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'number' && rule === 'umask') return `0${value.toString(8).padStart(3, '0')}`;
  if (typeof value === 'string') return value === '' || /\s/.test(value) ? JSON.stringify(value) : visible(value);
  if (Array.isArray(value)) return value.length === 0 ? '(empty)' : value.map((v) => formatValue(rule, v)).join(', ');
  if (typeof value === 'object') return visible(JSON.stringify(value));
  return String(value);
}

/** A command line as a POSIX shell would need it typed. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * Whether a stream should get colour: FORCE_COLOR if set; else a terminal, and NO_COLOR absent or empty (no-color.org).
 * The CLI passes this as `renderText(report, { color })`.
 */
export function colorFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  // As Node itself: FORCE_COLOR (other than 0 or false) wins, even into a pipe and over NO_COLOR.
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}
