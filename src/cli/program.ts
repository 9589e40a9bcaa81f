import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { EXIT, exitStatusOf } from '../daemon/exit-status.js';
import { packageRoot } from '../package-root.js';
import { registerCommands } from './commands.js';
import { errorExitOf } from './options/build.js';
import { houseParseError } from './parse-error.js';
import { reportError } from './report-error.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** The commander program with the commands `argv` needs (every command when it names none). */
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
 * Parses `argv` with commander and runs its command. Sets process.exitCode: a known error prints
 * one line with the fix, an unknown one its stack.
 */
export async function runProgram(argv: readonly string[]): Promise<void> {
  const program = await buildProgram(argv);
  let running: Command | undefined;
  program.hook('preAction', (_program, command) => {
    running = command;
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its message (or the help / version text).
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    reportError(error, (running && errorExitOf(running)) ?? exitStatusOf(error));
  }
}
