import { availableParallelism } from 'node:os';

/** How the default is said in help, docs and the API's comments. */
export const DEFAULT_JOBS_TEXT = 'twice the number of CPUs';

/**
 * Checks to run at once when not told: twice the CPUs. A check mostly waits (on the command, the
 * daemon's settle, the hang-up window, the stop), not computes: on 2 CPUs the whole matrix took
 * the same 36 s of CPU at 2, 4 and 6 checks at once, and 85 s, 50 s and 43 s of wall time, every
 * verdict the same; a fuzz run of 40 callers 12.4 s at 2 and 9.7 s at 4.
 */
export function defaultJobs(): number {
  return 2 * availableParallelism();
}
