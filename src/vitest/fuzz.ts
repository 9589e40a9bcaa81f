import { randomBytes } from 'node:crypto';
import { onTestFinished } from 'vitest';
import { FUZZ_MARKER } from '../fuzz/interrupt.js';
import { fuzzDaemon, type FuzzOptions, type FuzzReport } from '../fuzz/lazy.js';
import { shellQuote } from '../report/format.js';
import { sweep } from '../check/sweep.js';
import { envValue } from '../inspect/index.js';
import { SWEEP_MS } from './cleanup.js';

/**
 * Runs `fuzzDaemon(command, options)` inside a vitest test and guarantees that nothing it
 * started outlives the test: every process carrying this fuzz's marker is killed when the test
 * finishes (passed, failed or timed out).
 * @example
 * it('survives 100 random callers', async () => {
 *   expect(await fuzzDaemonAndCleanup(['./start.sh', '{pidfile}'], { pidfile: '{pidfile}', runs: 100 })).toSurviveCallers();
 * }, 600_000);
 */
export async function fuzzDaemonAndCleanup(command: readonly string[], options: FuzzOptions = {}): Promise<FuzzReport> {
  const token = randomBytes(8).toString('hex');
  onTestFinished(() => {
    sweep((p) => envValue(p.pid, FUZZ_MARKER) === token, SWEEP_MS);
  });
  return fuzzDaemon(command, { ...options, env: { ...options.env, [FUZZ_MARKER]: token } });
}

function assertFuzzReport(received: unknown): asserts received is FuzzReport {
  const r = received as Partial<FuzzReport> | null;
  if (r === null || typeof r !== 'object' || r.schemaVersion !== 1 || !Array.isArray(r.trials)) {
    throw new TypeError('toSurviveCallers() expects a daemonspec FuzzReport, e.g. expect(await fuzzDaemonAndCleanup(cmd, options)).toSurviveCallers()');
  }
}

/** No generated caller broke the daemon; the failure message carries the shrunk caller and both replays. */
export function toSurviveCallers(this: { isNot: boolean }, received: unknown): { pass: boolean; message: () => string } {
  assertFuzzReport(received);
  const report = received;
  const found = report.counterexample;
  const subject = `${shellQuote(report.command)} (seed ${report.seed}, ${report.runs} runs)`;
  if (found === null) return { pass: true, message: () => `expected ${subject} to be broken by some caller, but none of ${report.runs} broke it` };
  return {
    pass: false,
    message: () =>
      [
        `expected ${subject} to survive every caller, but a caller breaks it (shrunk ${found.shrinks} times):`,
        ...found.explanation.split('\n').map((l) => `  ${l}`),
        `  caller: ${JSON.stringify(found.caller)}`,
        `  replay: ${found.replay}`,
        `  as a check: ${found.checkReplay}`,
      ].join('\n'),
  };
}
