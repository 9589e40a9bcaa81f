import { randomBytes } from 'node:crypto';
import { onTestFinished } from 'vitest';
import type { CheckOptions, CheckReport } from '../check/report-types.js';
import { envValue, isRunning, processesWhere, processStartTime } from '../inspect/index.js';
import { checkDaemon } from '../isolation/index.js';
import { sweep } from '../check/sweep.js';

/** How long the clean-up after a test goes on finding the processes of its check. */
export const SWEEP_MS = 2000;

/** The environment variable that marks every process of one check, for the clean-up sweep. */
export const CHECK_MARKER = 'DAEMONSPEC_VITEST_CHECK';

/** Processes whose environment carries `name=value` (found through src/inspect; the caller excluded). */
export function processesMarked(name: string, value: string): number[] {
  return markedProcesses(name, value).map((p) => p.pid);
}

function markedProcesses(name: string, value: string): { pid: number; startTime: number }[] {
  return processesWhere((p) => p.pid !== process.pid && p.state !== 'Z' && envValue(p.pid, name) === value).map((p) => ({
    pid: p.pid,
    startTime: p.startTime,
  }));
}

/** SIGKILL only the very process seen (same start time), never a later reuse of its pid. */
function killQuietly(pid: number, startTime: number | null): void {
  if (startTime === null || !isRunning(pid, startTime)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Runs `checkDaemon(command, options)` and guarantees that nothing it started outlives the
 * test: the command runs with a unique marker in its environment, and when the test finishes
 * (passed, failed or timed out) every process still carrying the marker is killed, as are the
 * pids the report lists as left running. Call it inside a vitest test.
 * @example
 * const report = await checkDaemonAndCleanup(['/usr/sbin/mydaemon', '-d'], { pidfile: '/run/my.pid' });
 * expect(report).toConform('sysv');
 */
export async function checkDaemonAndCleanup(command: readonly string[], options: CheckOptions = {}): Promise<CheckReport> {
  const token = randomBytes(8).toString('hex');
  // The report's leftRunning pids, with their start times taken as soon as the report is back.
  let left: { pid: number; startTime: number | null }[] = [];
  onTestFinished(() => {
    sweep((p) => envValue(p.pid, CHECK_MARKER) === token, SWEEP_MS);
    for (const p of left) killQuietly(p.pid, p.startTime);
  });
  const report = await checkDaemon(command, { ...options, env: { ...options.env, [CHECK_MARKER]: token } });
  left = report.cleanup.leftRunning.map((pid) => ({ pid, startTime: processStartTime(pid) }));
  return report;
}
