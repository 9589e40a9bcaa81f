import { usageError } from './errors.js';

/**
 * The longest wait a Node timer holds: setTimeout with more fires at once, after a
 * TimeoutOverflowWarning. Every duration an option takes (a start's timeout, a stop's, a check's)
 * is refused above it, rather than turned into no wait at all.
 */
export const LONGEST_WAIT_MS = 2 ** 31 - 1;

/** How the limit is said in messages. */
export const LONGEST_WAIT_TEXT = `at most ${LONGEST_WAIT_MS} ms (${Math.floor(LONGEST_WAIT_MS / 1000)} s, about 24.8 days: the longest wait Node's timers hold)`;

/** Whether `ms` is a wait a timer can hold: a number (not a numeric string), positive, at most LONGEST_WAIT_MS. */
export function isWaitMs(ms: number): boolean {
  return typeof ms === 'number' && ms > 0 && ms <= LONGEST_WAIT_MS;
}

/** `ms` when it is a wait a timer can hold, else EUSAGE naming the option (`timeout`, `--stop-timeout`). */
export function checkWaitMs(ms: number, name: string): number {
  if (!isWaitMs(ms)) throw usageError(`${name} must be a positive number of milliseconds, ${LONGEST_WAIT_TEXT}, got ${ms}`);
  return ms;
}
