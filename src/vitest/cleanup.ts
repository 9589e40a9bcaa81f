import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { onTestFinished } from 'vitest';
import type { CheckOptions, CheckReport } from '../check/report-types.js';

/** The environment variable that marks every process of one check, for the clean-up sweep. */
export const CHECK_MARKER = 'DAEMONSPEC_VITEST_CHECK';

type CheckDaemon = (command: readonly string[], options?: CheckOptions) => Promise<CheckReport>;

async function loadCheckDaemon(): Promise<CheckDaemon> {
  const mod = (await import('../check/index.js')) as { checkDaemon?: CheckDaemon };
  if (typeof mod.checkDaemon !== 'function') {
    throw new Error('daemonspec/vitest: this build of daemonspec has no checkDaemon() (src/check/index.ts)');
  }
  return mod.checkDaemon;
}

/** Processes whose environment carries `name=value` (Linux /proc; elsewhere none are found). */
export function processesMarked(name: string, value: string): number[] {
  const needle = `${name}=${value}`;
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(needle)) found.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function killQuietly(pid: number): void {
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
  let report: CheckReport | undefined;
  onTestFinished(() => {
    const pids = new Set([...processesMarked(CHECK_MARKER, token), ...(report?.cleanup.leftRunning ?? [])]);
    for (const pid of pids) killQuietly(pid);
  });
  const checkDaemon = await loadCheckDaemon();
  report = await checkDaemon(command, { ...options, env: { ...options.env, [CHECK_MARKER]: token } });
  return report;
}
