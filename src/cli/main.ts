import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { errorText, EXIT, exitStatusOf } from '../daemon/exit-status.js';
import { registerCommands } from './commands.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Exit statuses shared by every command (documented in docs/cli.md). */
export { EXIT };

export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('daemonspec')
    .description('Make well-behaved POSIX daemons, and check any daemonizer against the rules.')
    .version(version(), '-V, --version')
    .showSuggestionAfterError()
    .exitOverride();
  await registerCommands(program, argv);
  return program;
}

/**
 * Runs the CLI. Known errors print one line with the fix; unknown ones print the stack.
 * Sets process.exitCode rather than calling process.exit(), so output is flushed.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its message (or the help / version text).
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    process.stderr.write(errorText(error));
    process.exitCode = exitStatusOf(error);
  }
}
