import type { LauncherResult, NoDaemon } from './report-types.js';

const LAST_LINES = 5;

/** How the command ended, in words ("exited with status 1", "was killed by SIGSEGV"). */
export function howItEnded(launcher: LauncherResult): string {
  if (launcher.timedOut) return 'did not return within the timeout (killed)';
  if (launcher.shellEnded !== undefined) return `took down its launching shell (it ${launcher.shellEnded}) before returning`;
  if (launcher.signal !== null) return `was killed by ${launcher.signal}`;
  if (launcher.exitCode === null) return 'never reported its exit';
  return `exited with status ${launcher.exitCode}`;
}

/**
 * The one finding of a check that found no daemon: how the command ended, why nothing was
 * judged, and the last lines it wrote (where its own error message usually is).
 */
export function describeNoDaemon(launcher: LauncherResult, why: string, terminalOutput: string): NoDaemon {
  const lastLines = terminalOutput
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-LAST_LINES);
  return { reason: `the command ${howItEnded(launcher)}; ${why.replace(/^no daemon found: /, '')}`, lastLines };
}
