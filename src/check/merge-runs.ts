import type { RuleResult, RuleStatus } from './report-types.js';

/** Merges per-run results: a rule whose status differs between runs becomes 'racy'. */
export function mergeRuns(runs: readonly RuleResult[][]): RuleResult[] {
  const last = runs[runs.length - 1]!;
  if (runs.length === 1) return last;
  return last.map((result, index) => {
    const statuses: RuleStatus[] = runs.map((run) => run[index]!.status);
    const same = statuses.every((s) => s === statuses[0]);
    if (same) return { ...result, runs: statuses };
    const failed = runs.map((run) => run[index]!).find((r) => r.status === 'fail');
    const failures = statuses.filter((s) => s === 'fail').length;
    return {
      ...(failed ?? result),
      status: 'racy',
      runs: statuses,
      message: `differs between runs (${statuses.join(', ')}): failed ${failures} of ${statuses.length}. ${failed?.message ?? ''}`.trim(),
    };
  });
}
