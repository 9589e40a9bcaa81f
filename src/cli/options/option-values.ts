import { usageError } from '../../errors.js';
import { type CommandSpec, flagSyntax } from './table.js';

const HELP_FLAGS = ['--help', '-h'];

/** The flag a word spells (`--pidfile`, `--pidfile=x`, `-h`), if it is one of the command's own or help; else null. */
function ownFlag(word: string, flags: readonly string[]): string | null {
  if (word === '--') return '--';
  const name = word.split('=')[0]!;
  return flags.includes(name) ? name : null;
}

/**
 * commander gives a flag that needs a value the next word, whatever it is: `run --pidfile --
 * /bin/sleep 1` would write a pidfile named `--`, and `--pidfile --print-pid` one named
 * `--print-pid`. A value that is `--` or one of the command's own flags is the user's missing
 * value, refused naming the flag that lacks it.
 */
export function refuseFlagsAsValues<T>(spec: CommandSpec<T>, parsed: Readonly<Record<string, unknown>>, attributeOf: (entry: { flag: string }) => string): void {
  const flags = [...HELP_FLAGS, ...spec.options.flatMap((entry) => [entry.flag, ...(entry.short === undefined ? [] : [entry.short])])];
  for (const entry of spec.options) {
    if (entry.kind === 'switch') continue;
    const raw = parsed[attributeOf(entry)];
    for (const value of typeof raw === 'string' ? [raw] : Array.isArray(raw) ? (raw as string[]) : []) {
      const flag = ownFlag(value, flags);
      if (flag === null) continue;
      const what = flag === '--' ? 'the -- that ends the options' : `${flag}, an option of daemonspec ${spec.name}`;
      throw usageError(`${entry.flag} has no value (the word after it is ${what}): give ${flagSyntax(entry)}`);
    }
  }
}
