import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { errorText, EXIT, exitStatusOf } from '../daemon/exit-status.js';
import { registerCommands } from './commands.js';
import { checkRawArgv } from './raw-argv.js';
import { errorExitOf } from './options/build.js';
import { houseParseError } from './parse-error.js';
import { packageRoot } from '../package-root.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Exit statuses shared by every command (documented in docs/cli.md). */
export { EXIT };

export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('daemonspec')
    .description('make well-behaved POSIX daemons, and check any daemonizer against the rules')
    .version(version(), '-v, --version')
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (text, write) => write(houseParseError(text, undefined)) })
    .exitOverride();
  await registerCommands(program, argv);
  return program;
}

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
 * Sets process.exitCode rather than calling process.exit(), so output is flushed.
 */
export async function main(argv: readonly string[]): Promise<void> {
  quietOnClosedPipe();
  try {
    checkRawArgv(argv);
  } catch (error) {
    process.stderr.write(errorText(error));
    process.exitCode = exitStatusOf(error);
    return;
  }
  // -V, the spelling of versions before 0.2, stays an alias of -v.
  const args = argv.map((arg, i) => (i === 2 && arg === '-V' ? '--version' : arg));
  const program = await buildProgram(args);
  let running: Command | undefined;
  program.hook('preAction', (_program, command) => {
    running = command;
  });
  try {
    await program.parseAsync(args);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its message (or the help / version text).
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    process.stderr.write(errorText(error));
    process.exitCode = (running && errorExitOf(running)) ?? exitStatusOf(error);
  }
}
