import { randomBytes } from 'node:crypto';
import type { InterruptCleanup } from '../check/interrupt.js';
import { liveTempDirs } from '../check/temp-dir.js';
import { envValue } from '../inspect/index.js';

/** The variable that marks every process of one fuzz (each run's launcher, command and daemon inherit it). */
export const FUZZ_MARKER = 'DAEMONSPEC_FUZZ_ID';

/**
 * A fresh marker for one fuzz's runs (their environment) and what an interrupt of it cleans up
 * (check/interrupt.ts): every process carrying the marker (the checks in flight, their daemons),
 * the runs' and the checks' temporary directories.
 */
export function fuzzInterruptCleanup(): { value: string; cleanup: InterruptCleanup } {
  const value = randomBytes(8).toString('hex');
  return {
    value,
    cleanup: { command: 'fuzz', ours: (p) => envValue(p.pid, FUZZ_MARKER) === value, dirs: () => liveTempDirs },
  };
}
