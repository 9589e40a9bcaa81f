import { DaemonspecError } from '../errors.js';

/**
 * Without `--`, a command line such as `check ./d.py --pidfile X` is ambiguous: is --pidfile the
 * checker's or ./d.py's? Commands that run a command take everything after its first word as
 * that command's (commander's passThroughOptions), and refuse an option-like word there unless
 * the command came after `--`, saying where to put it.
 *
 * `raw` is the whole argv; `operands` the words commander gave the command. They came after a
 * `--` exactly when the argv ends with `--` followed by them (commander drops that `--`).
 */
export function requireSeparator(commandName: string, raw: readonly string[], operands: readonly string[], ownFlags: readonly string[]): void {
  const n = operands.length;
  if (n === 0 || raw[raw.length - n - 1] === '--') return;
  const word = operands.slice(1).find((w) => w.startsWith('-'));
  if (word === undefined) return;
  const flag = word.split('=')[0]!;
  const own = ownFlags.includes(flag)
    ? `; if ${flag} is daemonspec ${commandName}'s own, put it before the command`
    : '';
  throw new DaemonspecError(
    'EUSAGE',
    `put the command after --: daemonspec ${commandName} [options] -- ${operands.join(' ')} (without --, ${word} after ${operands[0]} is ambiguous${own})`,
  );
}
