import { RULE_IDS, type RuleId, type RuleStatus } from '../check/report-types.js';
import type { MatrixRow } from './job.js';
import { deviationsFor, type FixtureManifest } from './manifest.js';

/** How a row's failures compare with its manifest's declared deviations. */
export interface DeviationComparison {
  /** Rules that failed without being declared: a regression, or a manifest to correct. */
  undeclared: RuleId[];
  /** Rules declared as deviations that did not fail: the manifest is out of date. */
  unobserved: RuleId[];
}

export function statusOf(row: MatrixRow, rule: RuleId): RuleStatus | undefined {
  return row.report?.results.find((r) => r.rule === rule)?.status;
}

/** Compares what failed with what the manifest says fails, for the row's isolation. */
export function compareDeviations(row: MatrixRow, manifest: FixtureManifest): DeviationComparison {
  const declared = new Set(deviationsFor(manifest, row.isolation).map((d) => d.rule));
  const failed = new Set(RULE_IDS.filter((rule) => statusOf(row, rule) === 'fail'));
  return {
    undeclared: RULE_IDS.filter((rule) => failed.has(rule) && !declared.has(rule)),
    unobserved: RULE_IDS.filter((rule) => declared.has(rule) && !failed.has(rule)),
  };
}

/** True when the row ran and fails exactly its declared deviations. */
export function conforms(row: MatrixRow, manifest: FixtureManifest): boolean {
  if (!row.report) return row.skipped !== undefined && row.error === undefined;
  const c = compareDeviations(row, manifest);
  return c.undeclared.length === 0 && c.unobserved.length === 0;
}
