import { availableParallelism } from 'node:os';

/** Never more by default: measured on 2 CPUs only, and each check is a Node process (about 60 MB) with its daemon. */
const MOST_JOBS = 16;

/** How the default is said in help, docs and the API's comments. */
export const DEFAULT_JOBS_TEXT = `twice the number of CPUs, at most ${MOST_JOBS}`;

/**
 * Checks to run at once when not told: twice the CPUs. A check mostly waits (on the command, the
 * daemon's settle, the hang-up window, the stop), not computes: on 2 CPUs the whole matrix took
 * the same 36 s of CPU at 2, 4 and 6 checks at once, and 85 s, 50 s and 43 s of wall time, every
 * verdict the same; a fuzz run of 40 callers 10.5 s at 2 and 7.5 s at 4.
 */
export function defaultJobs(): number {
  return Math.min(2 * availableParallelism(), MOST_JOBS);
}
