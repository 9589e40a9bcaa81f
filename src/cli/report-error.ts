import { errorText, exitStatusOf } from '../daemon/exit-status.js';
import { stderr } from './output-streams.js';

/** A command's error for its user: its one line with the fix (the stack for an unknown one), and the exit status. */
export function reportError(error: unknown, exitStatus: number = exitStatusOf(error)): void {
  stderr().write(errorText(error));
  process.exitCode = exitStatus;
}
