import { type Command, InvalidArgumentError, Option } from 'commander';
import { houseParseError } from '../parse-error.js';
import { requireSeparator } from '../separator.js';
import { attributeName } from './convert.js';
import { refuseFlagsAsValues } from './option-values.js';
import { type CommandSpec, describe, type OptionEntry } from './table.js';

function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

/** A one-value option given twice is refused: the first value went unused, without a word. */
function once(value: string, previous: string | undefined): string {
  if (previous !== undefined) throw new InvalidArgumentError(`was given twice (${JSON.stringify(previous)}, then ${JSON.stringify(value)}): give it once`);
  return value;
}

/** The commander option of an entry: raw text only; converting is convert.ts's job, after parsing. */
function commanderOption<T>(entry: OptionEntry<T>): Option {
  const long = entry.value === undefined ? entry.flag : `${entry.flag} <${entry.value}>`;
  const option = new Option(entry.short === undefined ? long : `${entry.short}, ${long}`, describe(entry));
  if (entry.kind === 'list') option.argParser(collect);
  if (entry.kind === 'value') option.argParser(once);
  if (attributeName(entry) !== option.attributeName()) throw new Error(`option table: ${entry.flag} maps to ${option.attributeName()}`);
  return option;
}

const errorExits = new WeakMap<Command, number>();

/** The exit status a command's spec gives every error, if it does (see CommandSpec.errorExit). */
export function errorExitOf(command: Command): number | undefined {
  return errorExits.get(command);
}

/**
 * Adds the command of a spec to the program, with every option of its table. `argv` is the
 * command line being parsed (for the check that a command to run came after `--`).
 */
export function addCommand<T>(program: Command, spec: CommandSpec<T>, argv: readonly string[]): Command {
  const command = program.command(spec.name).description(spec.description).usage(spec.usage);
  command.configureOutput({ outputError: (text, write) => write(houseParseError(text, spec.name)) });
  for (const entry of spec.options) command.addOption(commanderOption(entry));
  command.hook('preAction', (_command, action) => refuseFlagsAsValues(spec, action.opts(), argv, attributeName));
  if (spec.runs !== undefined) {
    const flags = spec.options.map((entry) => entry.flag);
    command
      .argument('<command...>', spec.runs)
      .passThroughOptions()
      .hook('preAction', (_command, action) => requireSeparator(spec.name, argv, action.args, flags));
  }
  if (spec.errorExit !== undefined) errorExits.set(command, spec.errorExit);
  return command;
}
