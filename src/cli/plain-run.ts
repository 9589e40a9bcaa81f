import { attributeName } from './options/convert.js';
import { RUN } from './options/run.js';
import type { OptionEntry } from './options/table.js';

/*
 * `daemonspec run` without commander (issue 14.1): commander and the CLI's frame cost about 10 ms
 * of a start that is otherwise 25 ms of work. The common shape of a run command line is read here,
 * from the same option table, into the record commander would have made of it; any other shape
 * (help, a short or unknown or abbreviated flag, a value that looks like a flag, no `--`, no
 * command) is left to commander, which says what is wrong in its words. What this accepts, commander
 * parses to the same record: spec/cli/plain-run.test.ts compares them over generated command lines.
 */

/** A run command line in its plain shape: the flags as commander records them, and the command after `--`. */
export interface PlainRun {
  flags: Record<string, string | string[] | true>;
  command: string[];
}

const BY_FLAG: ReadonlyMap<string, OptionEntry<unknown>> = new Map(RUN.options.map((entry) => [entry.flag, entry as OptionEntry<unknown>]));

/** A value commander might read otherwise (a flag, `--`, nothing) makes the line not plain. */
function plainValue(value: string | undefined): value is string {
  return value !== undefined && value !== '' && !value.startsWith('-');
}

/** Records one flag; false when the word is not one this parser is sure about. */
function take(flags: PlainRun['flags'], entry: OptionEntry<unknown>, value: string | undefined): boolean {
  const key = attributeName(entry);
  if (entry.kind === 'switch') {
    if (value !== undefined) return false;
    flags[key] = true;
    return true;
  }
  if (!plainValue(value)) return false;
  const previous = flags[key];
  if (entry.kind === 'value' && previous !== undefined) return false; // given twice: commander refuses it
  flags[key] = entry.kind === 'list' ? [...(Array.isArray(previous) ? previous : []), value] : value;
  return true;
}

/**
 * `[node, script, 'run', ...flags, '--', CMD, ...ARGS]` with only the run table's long flags
 * (`--flag VALUE` or `--flag=VALUE`) before the `--`: its flags and command; null for any other
 * shape, which commander then parses.
 */
export function plainRun(argv: readonly string[]): PlainRun | null {
  if (argv[2] !== 'run') return null;
  const flags: PlainRun['flags'] = {};
  for (let i = 3; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return i + 1 < argv.length ? { flags, command: argv.slice(i + 1) } : null;
    const eq = word.indexOf('=');
    const entry = BY_FLAG.get(eq < 0 ? word : word.slice(0, eq));
    if (entry === undefined) return null;
    const inline = eq < 0 ? undefined : word.slice(eq + 1);
    const value = eq < 0 && entry.kind !== 'switch' ? argv[++i] : inline;
    if (!take(flags, entry, value)) return null;
  }
  return null;
}
