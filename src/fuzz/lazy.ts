import type { FuzzOptions, FuzzReport } from './index.js';

export type { FuzzCounterexample, FuzzOptions, FuzzReport } from './index.js';

/**
 * `daemonspec fuzz` as a library call (see fuzz/index.ts): loads fast-check only when called,
 * so a daemon that imports daemonspec for `daemonize()` does not pay for it.
 * @example
 * const report = await fuzzDaemon(['./start.sh', '{pidfile}'], { pidfile: '{pidfile}', runs: 50, seed: 42 });
 * if (report.counterexample) console.log(report.counterexample.explanation, report.counterexample.replay);
 */
export async function fuzzDaemon(command: readonly string[], options: FuzzOptions = {}): Promise<FuzzReport> {
  return (await import('./index.js')).fuzzDaemon(command, options);
}
