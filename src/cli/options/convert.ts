import { DaemonspecError } from '../../errors.js';
import type { OptionTable } from './table.js';

/** The key commander stores a flag under: `--keep-fd` → `keepFd`. */
export function attributeName(entry: { flag: string }): string {
  return entry.flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Commander's parsed flags → the command's options of type T, through each entry's parser (a bad
 * value throws EUSAGE naming the flag). Only flags given are set: what is absent keeps the
 * library's default, which the table's `default` shows.
 */
export function convertFlags<T>(table: OptionTable<T>, flags: Readonly<Record<string, unknown>>): T {
  const options: Partial<Record<keyof T, unknown>> = {};
  for (const entry of table) {
    const raw = flags[attributeName(entry)];
    if (raw === undefined) {
      if (entry.required) {
        throw new DaemonspecError('EUSAGE', `${entry.flag} is required: give it as ${entry.flag} ${entry.value ?? ''}`.trimEnd());
      }
      continue;
    }
    options[entry.to] = entry.convert(raw === true ? '' : (raw as string | string[]), entry.flag);
  }
  // Each entry's parser returns T[entry.to] (the builders in table.ts check it); required entries are enforced above.
  return options as T;
}
