import type { CheckReport, IsolationName } from '../check/report-types.js';
import { DaemonspecError } from '../errors.js';
import { type ChildResult, tail } from './run-child.js';

/**
 * Turns the output of `daemonspec check --json` run inside an isolation into its report.
 * Exit 0 and 1 carry a report (all passed / a rule failed); so does exit 2 when the check could
 * not stop everything it started (src/cli/check.ts: the verdicts stand, `cleanup.leftRunning`
 * names the pids). Anything else is an error of the environment, reported with the checker's stderr.
 */
export function parseIsolatedReport(result: ChildResult, isolation: IsolationName, where: string): CheckReport {
  if (result.timedOut) {
    throw new DaemonspecError('ETIMEOUT', `the check in ${where} did not finish in time and was killed`, {
      detail: tail(result.stderr),
    });
  }
  if (result.exitCode === 0 || result.exitCode === 1) return { ...readReport(result, where), isolation };
  if (result.exitCode === 2) {
    const left = leftRunningReport(result);
    if (left !== null) return { ...left, isolation };
  }
  const how = result.signal ? `was killed by ${result.signal}` : `exited with status ${String(result.exitCode)}`;
  const message = result.stderr.match(/^daemonspec: (.*)$/m)?.[1];
  throw new DaemonspecError('ECHECK', `the check in ${where} ${how}${message ? `: ${message}` : ''}`, {
    detail: tail(result.stderr),
  });
}

function readReport(result: ChildResult, where: string): CheckReport {
  let report: CheckReport;
  try {
    report = JSON.parse(result.stdout) as CheckReport;
  } catch (cause) {
    throw new DaemonspecError('ECHECK', `the check in ${where} printed no JSON report`, {
      detail: tail(`${result.stdout}\n${result.stderr}`),
      cause,
    });
  }
  if (report.schemaVersion !== 2) {
    throw new DaemonspecError('ECHECK', `the check in ${where} printed schema version ${String(report.schemaVersion)}, expected 2`);
  }
  return report;
}

/** The report of a check that exited 2 because it left processes running, or null (exit 2 for a refusal prints none). */
function leftRunningReport(result: ChildResult): CheckReport | null {
  try {
    const report = JSON.parse(result.stdout) as Partial<CheckReport>;
    return report.schemaVersion === 2 && (report.cleanup?.leftRunning.length ?? 0) > 0 ? (report as CheckReport) : null;
  } catch {
    return null;
  }
}
