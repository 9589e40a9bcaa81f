import { withCitation } from '../trace/cite.js';
import type { ResolvedProfile } from './profiles.js';
import type { RuleResult } from './report-types.js';
import { START_RULES, type Rule, type RuleContext } from './rules/index.js';

/**
 * Each rule's verdict on one run, in rule order (the start rules unless told otherwise); a rule
 * the profile disables is `skip` with the reason.
 */
export function judge(profile: ResolvedProfile, context: RuleContext, rules: readonly Rule[] = START_RULES): RuleResult[] {
  return rules.map((rule): RuleResult => {
    const base = { rule: rule.id, title: rule.title, reference: rule.reference };
    if (profile.disabledRules.has(rule.id)) {
      return { ...base, status: 'skip', expected: null, actual: null, message: `not judged by the ${profile.name} profile`, fix: '' };
    }
    const judgement = rule.judge(context);
    const { trace, daemon } = context;
    if (judgement.status === 'fail' && rule.cite && trace !== null && daemon !== null) {
      judgement.message = withCitation(judgement.message, rule.cite({ ...context, trace, daemon }, judgement));
    }
    return { ...base, ...judgement, fix: judgement.status === 'fail' ? rule.fix : '' };
  });
}
