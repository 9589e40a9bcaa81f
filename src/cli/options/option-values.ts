import { usageError } from '../../errors.js';
import { type CommandSpec, flagSyntax } from './table.js';

/** Words that are options wherever they stand, besides the command's own flags. */
const ALWAYS_OPTIONS = ['-h', '-v', '-V'];

/**
 * commander gives a flag that needs a value the next word, whatever it is: `run --pidfile --
 * /bin/sleep 1` would write a pidfile named `--`, and `--pidfile --print-pid` one named
 * `--print-pid`. A value given as the next word that is `--` or looks like an option (`--x`, `-h`,
 * one of the command's short flags) is the user's missing value, refused naming the flag that
 * lacks it; `--flag=--x` says the value is meant.
 */
export function refuseFlagsAsValues<T>(spec: CommandSpec<T>, parsed: Readonly<Record<string, unknown>>, argv: readonly string[], attributeOf: (entry: { flag: string }) => string): void {
  const shorts = [...ALWAYS_OPTIONS, ...spec.options.flatMap((entry) => (entry.short === undefined ? [] : [entry.short]))];
  for (const entry of spec.options) {
    if (entry.kind === 'switch') continue;
    const raw = parsed[attributeOf(entry)];
    for (const value of typeof raw === 'string' ? [raw] : Array.isArray(raw) ? (raw as string[]) : []) {
      if (!(value.startsWith('--') || shorts.includes(value)) || argv.includes(`${entry.flag}=${value}`)) continue;
      const said = value === '--' ? 'the word after it is the -- that ends the options' : `the word after it, ${value}, is an option`;
      const meant = value === '--' ? '' : `, or ${entry.flag}=${value} if that is the value`;
      throw usageError(`${entry.flag} has no value (${said}): give ${flagSyntax(entry)}${meant}`);
    }
  }
}
