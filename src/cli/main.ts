import { EXIT } from '../daemon/exit-status.js';
import { outputUsed, stderr, stdout } from './output-streams.js';
import { plainRun } from './plain-run.js';
import { checkRawArgv } from './raw-argv.js';
import { reportError } from './report-error.js';

/** Exit statuses shared by every command (documented in docs/cli.md). */
export { EXIT };

/**
 * Runs the CLI. Known errors print one line with the fix; unknown ones print the stack.
 * Sets process.exitCode rather than calling process.exit(), so output is flushed (a plain run
 * that printed nothing ends at once: below). A `run` command line in its plain shape starts the
 * daemon without loading commander (plain-run.ts); every other command line goes through
 * commander (program.ts).
 */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    checkRawArgv(argv);
  } catch (error) {
    reportError(error);
    return;
  }
  // -V, the spelling of versions before 0.2, stays an alias of -v.
  const args = argv.map((arg, i) => (i === 2 && arg === '-V' ? '--version' : arg));
  const plain = plainRun(args);
  if (plain === null) {
    stdout(); // commander and the commands write to both
    stderr();
    await (await import('./program.js')).runProgram(args);
    return;
  }
  try {
    await (await import('./run-action.js')).runDaemon(plain.command, plain.flags);
  } catch (error) {
    reportError(error);
  }
  // A plain run that printed nothing ends here: Node's orderly end after 'exit' (its environment's
  // cleanup) costs a start about 2 ms (issue 14.1). Output is left to that end, which flushes it
  // (a pipe is written asynchronously on macOS).
  if (!outputUsed()) process.exit();
}
