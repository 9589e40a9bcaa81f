import type { CheckReport } from './report-types.js';

/**
 * The pids a check left running that are still there to stop: a host check's. A check in a PID
 * namespace or a container names pids of that namespace, whose processes all ended with it (the
 * checker is its init: `unshare --fork --kill-child`, `docker run --rm`), and a host process may
 * have the same number.
 */
export function leftOnHost(report: Pick<CheckReport, 'isolation' | 'cleanup'>): number[] {
  return report.isolation === 'host' ? report.cleanup.leftRunning : [];
}

/**
 * The one line for processes a check could not stop: the CLI prints it (and exits 2), the matrix
 * makes it the row's problem. The verdicts stand either way.
 */
export function leftRunningText(pids: readonly number[]): string {
  const many = pids.length > 1;
  return `the check could not stop pid${many ? 's' : ''} ${pids.join(', ')}: stop ${many ? 'them' : 'it'} by hand (kill -KILL ${pids.join(' ')})`;
}
