import type { CheckOptions, CheckReport } from '../check/report-types.js';

/**
 * Runs `command` as a user would from a terminal, in `options.isolation` (default `host`), finds
 * the daemon it leaves, judges it, then stops everything it started. Rejects with
 * DaemonspecError (`EUSAGE`, `ECHECK`, `EUNSUPPORTED`) when the check itself cannot run (bad
 * options, command not found, an isolation this machine lacks); a daemon that misbehaves is a
 * `fail` verdict.
 *
 * On Linux a host check makes the calling process a child subreaper for the rest of its life
 * (see src/check/subreaper.ts). The checker and the isolations are loaded on the first call, not
 * when daemonspec is imported (issue 14.1).
 * @example
 * const report = await checkDaemon(['/usr/sbin/mydaemon', '--pidfile', '/run/my.pid'], { pidfile: '/run/my.pid' });
 * if (report.verdict === 'fail') console.log(report.results.filter((r) => r.status !== 'pass'));
 */
export async function checkDaemon(command: readonly string[], options: CheckOptions = {}): Promise<CheckReport> {
  return (await import('./index.js')).checkDaemon(command, options);
}
