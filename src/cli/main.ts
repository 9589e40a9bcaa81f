import { EXIT } from '../daemon/exit-status.js';
import { plainRun } from './plain-run.js';
import { checkRawArgv } from './raw-argv.js';
import { reportError } from './report-error.js';

/** Exit statuses shared by every command (documented in docs/cli.md). */
export { EXIT };

/**
 * `daemonspec check --help | head -1`: the reader is gone, which is no error of ours. Without a
 * listener an EPIPE on stdout would be thrown with its stack; with it, the command ends as it
 * would have (its exit status unchanged) and what is left to print goes nowhere.
 */
function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}

/**
 * Runs the CLI. Known errors print one line with the fix; unknown ones print the stack.
 * Sets process.exitCode rather than calling process.exit(), so output is flushed. A `run` command
 * line in its plain shape starts the daemon without loading commander (plain-run.ts); every other
 * command line goes through commander (program.ts).
 */
export async function main(argv: readonly string[]): Promise<void> {
  quietOnClosedPipe();
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
    await (await import('./program.js')).runProgram(args);
    return;
  }
  try {
    await (await import('./run-action.js')).runDaemon(plain.command, plain.flags);
  } catch (error) {
    reportError(error);
  }
}
