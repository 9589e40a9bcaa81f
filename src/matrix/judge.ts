import { RULE_IDS, type RuleId, type RuleStatus } from '../check/report-types.js';
import type { MatrixRow } from './job.js';
import { deviationsFor, type FixtureManifest } from '../check/fixtures.js';

/** How a row's failures compare with its manifest's declared deviations. */
export interface DeviationComparison {
  /** Rules that failed without being declared: a regression, or a manifest to correct. */
  undeclared: RuleId[];
  /** Rules declared as deviations that did not fail: the manifest is out of date. */
  unobserved: RuleId[];
  /** The manifest's `startsDaemon` disagrees with whether a daemon was found (a message), or null. */
  daemonMismatch: string | null;
}

export function statusOf(row: MatrixRow, rule: RuleId): RuleStatus | undefined {
  return row.report?.results.find((r) => r.rule === rule)?.status;
}

/**
 * True when the rule failed only because there is no daemon to judge, and the manifest says
 * the tool leaves none (`startsDaemon: false`): one declared fact, not a deviation per rule.
 */
export function failedForNoDaemon(row: MatrixRow, manifest: FixtureManifest, rule: RuleId): boolean {
  if (manifest.startsDaemon !== false || !row.report || row.report.daemon !== null) return false;
  const result = row.report.results.find((r) => r.rule === rule);
  return result?.status === 'fail' && result.actual === null;
}

/** Compares what failed with what the manifest says fails, for the row's isolation. */
export function compareDeviations(row: MatrixRow, manifest: FixtureManifest): DeviationComparison {
  const declared = new Set(deviationsFor(manifest, row.isolation).map((d) => d.rule));
  const failed = new Set(RULE_IDS.filter((rule) => statusOf(row, rule) === 'fail'));
  const found = row.report?.daemon != null;
  const expected = manifest.startsDaemon !== false;
  return {
    undeclared: RULE_IDS.filter((rule) => failed.has(rule) && !declared.has(rule) && !failedForNoDaemon(row, manifest, rule)),
    unobserved: RULE_IDS.filter((rule) => declared.has(rule) && !failed.has(rule)),
    daemonMismatch:
      !row.report || found === expected
        ? null
        : found
          ? 'a daemon was found, but the manifest says the tool leaves none (startsDaemon: false)'
          : null, // no daemon where one is expected: the rules that need one fail and say so
  };
}

/** True when the row ran and fails exactly its declared deviations. */
export function conforms(row: MatrixRow, manifest: FixtureManifest): boolean {
  if (!row.report) return row.skipped !== undefined && row.error === undefined;
  const c = compareDeviations(row, manifest);
  return c.undeclared.length === 0 && c.unobserved.length === 0 && c.daemonMismatch === null;
}
