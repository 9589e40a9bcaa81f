import { usageError, type DaemonspecError } from '../../errors.js';
import { envRecord } from '../../env-record.js';
import { isWaitMs, LONGEST_WAIT_TEXT } from '../../longest-wait.js';

/**
 * The parsers option tables use: text → value, or a one-line EUSAGE naming the flag, the bad
 * value and what to give instead.
 */

/** `--flag: "text" is not WANT`. */
function notA(flag: string, text: string, want: string): DaemonspecError {
  return usageError(`${flag}: ${JSON.stringify(text)} is not ${want}`);
}

/** Any text but the empty one, which no path, name, pattern or command means. */
export function text(value: string, flag: string): string {
  if (value === '') throw usageError(`${flag}: the value is empty: give one, or leave ${flag} out`);
  return value;
}

/**
 * A daemon's log file: `-`, which other tools read as "this terminal", is refused (a daemon has no
 * terminal: it made a file named `-` in the cwd: a new user's probe).
 */
export function logFile(value: string, flag: string): string {
  if (value === '-') throw usageError(`${flag}: "-" would be a file named "-" here, and a daemon has no terminal to write to: give a file path (or /dev/null)`);
  return text(value, flag);
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * The one duration syntax of every command, in milliseconds: a number of seconds (`10`, `0.5`) or
 * a number with a unit (`500ms`, `1.5s`, `2m`, `1h`).
 */
export function duration(value: string, flag: string): number {
  const match = /^(-?)(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)?$/.exec(value.trim());
  const ms = match === null ? NaN : Number(match[2]) * UNIT_MS[match[3] ?? 's']!;
  if (!Number.isFinite(ms)) throw notA(flag, value, 'a duration: give seconds (10) or a number with a unit (500ms, 1.5s, 2m, 1h)');
  if (match![1] === '-' && ms > 0) throw usageError(`${flag}: ${JSON.stringify(value)} is negative: give a duration above 0 (10, 500ms, 2m)`);
  if (ms === 0) throw usageError(`${flag}: ${JSON.stringify(value)} is no wait at all: give a duration above 0 (10, 500ms, 2m)`);
  if (ms < 1) throw usageError(`${flag}: ${JSON.stringify(value)} is shorter than 1 ms, the finest wait daemonspec keeps: give 1ms or more`);
  if (!isWaitMs(Math.round(ms))) throw usageError(`${flag}: ${JSON.stringify(value)} is too long: give ${LONGEST_WAIT_TEXT}`);
  return Math.round(ms);
}

export function positiveInteger(value: string, flag: string): number {
  if (!/^[1-9]\d*$/.test(value) || !Number.isSafeInteger(Number(value))) throw notA(flag, value, 'a positive integer such as 1 or 5');
  return Number(value);
}

/** A file mode creation mask in octal (`022`, `0027`, `0o077`). */
export function octalMask(value: string, flag: string): number {
  const match = /^(?:0o)?([0-7]{1,4})$/.exec(value);
  const mask = match === null ? NaN : parseInt(match[1]!, 8);
  if (!(mask <= 0o777)) throw notA(flag, value, 'an octal umask such as 022 or 027');
  return mask;
}

export function fdNumbers(values: readonly string[], flag: string): number[] {
  return values.map((value) => {
    if (!/^\d{1,9}$/.test(value) || Number(value) < 3) throw notA(flag, value, 'a file descriptor number from 3 up (0, 1 and 2 are always set up)');
    return Number(value);
  });
}

/** Repeated KEY=VALUE pairs → an object. */
export function keyValues(values: readonly string[], flag: string): Record<string, string> {
  const out = envRecord();
  for (const pair of values) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw notA(flag, pair, 'KEY=VALUE, such as LANG=C.UTF-8');
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** A comma-separated list; empty items dropped. */
export function commaList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** A parser accepting only the given words. */
export function oneOf<W extends string>(words: readonly W[]): (value: string, flag: string) => W {
  return (value, flag) => {
    if (!(words as readonly string[]).includes(value)) throw notA(flag, value, `one of ${words.join(', ')}`);
    return value as W;
  };
}

/** A signal name (TERM, SIGINT) or number, as given; the library validates it. */
export function signal(value: string): string | number {
  return /^\d+$/.test(value) ? Number(value) : value;
}
