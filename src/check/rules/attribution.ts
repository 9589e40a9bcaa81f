import { signalName } from '../../ffi/constants.js';
import type { Attribution, Finding } from '../report-types.js';
import type { RuleContext } from './rule.js';

/** Signals split by where they come from: still the planted ones (inherited), or the program's own (chosen). */
export function splitSignals(observed: readonly number[], planted: readonly number[]): { inherited: number[]; chosen: number[] } {
  return {
    inherited: observed.filter((n) => planted.includes(n)),
    chosen: observed.filter((n) => !planted.includes(n)),
  };
}

export function signalFindings(split: { inherited: number[]; chosen: number[] }, state: 'blocked' | 'ignored'): Finding[] {
  const finding = (attribution: Attribution) => (n: number): Finding => ({ what: `${signalName(n)} ${state}`, attribution });
  return [...split.inherited.map(finding('inherited')), ...split.chosen.map(finding('chosen'))];
}

export function names(signals: readonly number[]): string {
  return signals.map(signalName).join(', ');
}

/** "SIGX (inherited), SIGY (chosen by the program)": the failure message of the strict reading. */
export function describeSplit(split: { inherited: number[]; chosen: number[] }): string {
  const parts: string[] = [];
  if (split.inherited.length > 0) parts.push(`${names(split.inherited)} (inherited from the caller)`);
  if (split.chosen.length > 0) parts.push(`${names(split.chosen)} (chosen by the program)`);
  return parts.join(', ');
}

/**
 * Said of a value found equal to the caller's when the caller was given (`--caller-*`, fuzz) rather
 * than drawn from the trap pools, which hold values no common daemon picks, and no trace shows who
 * set it: the program may have chosen that same value (nginx's umask 0, a server's SIGPIPE).
 */
export function sameValueCaveat(context: Pick<RuleContext, 'caller' | 'trace'>): string {
  return context.caller.spec !== undefined && context.trace === null
    ? ' (unless the program sets this same value itself: a caller given by hand cannot tell; --trace shows who set it)'
    : '';
}
