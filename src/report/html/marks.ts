import type { RuleStatus } from '../../check/report-types.js';

/** The text marks of the page: every colour has one, so it reads in grey too (and in a screen reader). */
export const STATUS_MARK: Record<RuleStatus, { symbol: string; word: string }> = {
  pass: { symbol: '✓', word: 'pass' },
  fail: { symbol: '✗', word: 'FAIL' },
  skip: { symbol: '–', word: 'skip' },
  racy: { symbol: '≈', word: 'RACY' },
};

export const INHERITED = '✗ inherited';
export const CHOSEN = 'ℹ chosen';
/** A failure the tool declares (a known deviation). */
export const DECLARED = '†';
/** A result that differs from what the tool declares: a regression or an out-of-date manifest. */
export const UNEXPECTED = '‼';

export function statusText(status: RuleStatus): string {
  return `${STATUS_MARK[status].symbol} ${STATUS_MARK[status].word}`;
}
