import type { StartObservation } from '../lifecycle/observations.js';

/** How a start of the command ended, in a few words: "exited 1", "killed by SIGKILL", "did not return". */
export function startSummary(start: StartObservation): string {
  if (start.timedOut) return 'did not return (timed out)';
  if (start.signal !== null) return `was killed by ${start.signal}`;
  return start.exitCode === null ? 'did not report its exit' : `exited ${start.exitCode}`;
}

/** The command's last words on its terminal, appended to a failure message ('' when it said nothing). */
export function lastLinesNote(start: StartObservation): string {
  return start.lastLines.length === 0 ? '' : `\nits last output: ${start.lastLines.join(' / ')}`;
}
