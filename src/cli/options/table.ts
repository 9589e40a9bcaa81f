/**
 * One typed option table per command. Each entry says once how a flag is spelled, what its value
 * is called, what it means, what its default is (as shown), how its text becomes a value, and
 * which option of the library (or of the command itself) it sets. From the table come the
 * commander options (build.ts), the conversion to library options (convert.ts), `--help` and the
 * option tables of docs/cli.md (docs.ts).
 */

/** What the user types and reads: common to every kind of entry. */
export interface OptionText {
  flag: `--${string}`;
  short?: `-${string}`;
  /** One line, lower case, no final period: shown by --help and in docs/cli.md. */
  description: string;
  /** More for docs/cli.md only (after the description). */
  more?: string;
  /** The default as shown, in the value's own syntax ('10', '/dev/null', 'host'); none when absent. */
  default?: string;
  /** Refused (exit 2, naming the flag) when missing. */
  required?: boolean;
}

export type OptionKind = 'value' | 'list' | 'switch';

/** A table entry with its target type erased (the builders below keep it typed). */
export interface OptionEntry<T> extends OptionText {
  kind: OptionKind;
  /** The value's name in help and docs (FILE, N, DURATION); none for a switch. */
  value?: string;
  /** The field of T that this flag sets. */
  to: keyof T & string;
  convert(raw: string | readonly string[], flag: string): unknown;
}

export type OptionTable<T> = readonly OptionEntry<T>[];

/** A command: its words and its table. `T` is what the table converts to (library options plus the command's own). */
export interface CommandSpec<T> {
  name: string;
  /** One line, lower case, no final period. */
  description: string;
  /** The usage after the command name, e.g. `[options] -- CMD [ARGS...]`. */
  usage: string;
  options: OptionTable<T>;
  /** For commands that run a command: what it is, shown for `<command...>`; it goes after `--`. */
  runs?: string;
  /** The exit status of every error, when the command gives 1 another meaning (check: a rule failed). */
  errorExit?: number;
}

type SwitchKeys<T> = { [K in keyof T]-?: NonNullable<T[K]> extends boolean ? K : never }[keyof T] & string;

/** The typed builders of entries whose target is T: the parser's result must fit T[K]. */
export function optionsFor<T>() {
  return {
    /** A flag with one value (given twice, it is refused: build.ts). */
    value<K extends keyof T & string>(
      to: K,
      spec: OptionText & { value: string; parse: (text: string, flag: string) => T[K] },
    ): OptionEntry<T> {
      const { parse, ...text } = spec;
      return { ...text, kind: 'value', to, convert: (raw, flag) => parse(typeof raw === 'string' ? raw : raw[raw.length - 1]!, flag) };
    },
    /** A flag that may be repeated; the parser gets every value in order. */
    list<K extends keyof T & string>(
      to: K,
      spec: OptionText & { value: string; parse: (texts: readonly string[], flag: string) => T[K] },
    ): OptionEntry<T> {
      const { parse, ...text } = spec;
      return { ...text, kind: 'list', to, convert: (raw, flag) => parse(typeof raw === 'string' ? [raw] : raw, flag) };
    },
    /** A flag without a value: sets a boolean to true. */
    switch<K extends SwitchKeys<T>>(to: K, spec: OptionText): OptionEntry<T> {
      return { ...spec, kind: 'switch', to, convert: () => true };
    },
  };
}

/** How the flag is written in help and docs: `--timeout DURATION`. */
export function flagSyntax(entry: OptionText & { value?: string }): string {
  return entry.value === undefined ? entry.flag : `${entry.flag} ${entry.value}`;
}

/** The description with the default, shown one way everywhere: `... (default: 10)`. */
export function describe(entry: OptionText): string {
  return entry.default === undefined ? entry.description : `${entry.description} (default: ${entry.default})`;
}
