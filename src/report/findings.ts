import type { RuleResult } from '../check/report-types.js';

/** The state a rule found that the program chose itself, as one note ("SIGPIPE ignored, SIGSYS ignored"), or null. */
export function chosenNote(r: RuleResult): string | null {
  const chosen = (r.findings ?? []).filter((f) => f.attribution === 'chosen').map((f) => f.what);
  return chosen.length === 0 ? null : `chosen by the program${r.status === 'fail' ? '' : ', not a failure'}: ${chosen.join(', ')}`;
}
