import type { RuleId, RuleStatus } from '../check/report-types.js';
import { leftOnHost, leftRunningText } from '../check/left-running.js';
import type { MatrixRow } from './job.js';
import { deviationsFor, judgedRules, notesFor, racesFor, type FixtureManifest } from '../check/fixtures.js';

/** How a row's failures compare with its manifest's declared deviations. */
export interface DeviationComparison {
  /** Rules that failed without being declared: a regression, or a manifest to correct. */
  undeclared: RuleId[];
  /** Rules declared as deviations that did not fail: the manifest is out of date. */
  unobserved: RuleId[];
  /** The manifest's `startsDaemon` disagrees with whether a daemon was found (a message), or null. */
  daemonMismatch: string | null;
  /** Rules that found state the program chose (a note, not a failure) without the manifest's `notes` explaining it. */
  unnoted: RuleId[];
  /** Rules the manifest's `notes` name that found no chosen state: the manifest is out of date. */
  unobservedNotes: RuleId[];
}

export function statusOf(row: MatrixRow, rule: RuleId): RuleStatus | undefined {
  return row.report?.results.find((r) => r.rule === rule)?.status;
}

/** Whether the rule passed (or was skipped) with state the program chose itself: a note. */
export function hasChosenNote(row: MatrixRow, rule: RuleId): boolean {
  const result = row.report?.results.find((r) => r.rule === rule);
  return result !== undefined && result.status !== 'fail' && (result.findings ?? []).some((f) => f.attribution === 'chosen');
}

/** Whether the rule found any state the program chose itself, whatever its status (a failing rule can have both). */
export function hasChosenFinding(row: MatrixRow, rule: RuleId): boolean {
  return (row.report?.results.find((r) => r.rule === rule)?.findings ?? []).some((f) => f.attribution === 'chosen');
}

/**
 * Compares what failed with what the manifest says fails, for the row's isolation, over the rules
 * the fixture's checks judge (the start rules, and the life-cycle and credential rules it asks for). A rule the
 * manifest declares a race may pass or fail (or be racy): it is neither undeclared nor unobserved.
 */
export function compareDeviations(row: MatrixRow, manifest: FixtureManifest): DeviationComparison {
  const rules = judgedRules(manifest);
  const declared = new Set(deviationsFor(manifest, row.isolation).map((d) => d.rule));
  const races = new Set(racesFor(manifest, row.isolation).map((d) => d.rule));
  const failed = new Set(rules.filter((rule) => statusOf(row, rule) === 'fail' && !races.has(rule)));
  const found = row.report !== undefined && row.report.noDaemon === null;
  const expected = manifest.startsDaemon !== false;
  const noted = new Set(notesFor(manifest, row.isolation).map((n) => n.rule));
  const chosen = new Set(rules.filter((rule) => hasChosenNote(row, rule)));
  return {
    undeclared: rules.filter((rule) => failed.has(rule) && !declared.has(rule)),
    unobserved: rules.filter((rule) => declared.has(rule) && !failed.has(rule)),
    daemonMismatch:
      !row.report || found === expected
        ? null
        : found
          ? 'a daemon was found, but the manifest says the tool leaves none (startsDaemon: false)'
          : `no daemon found: ${row.report.noDaemon?.reason ?? 'no reason given'}`,
    unnoted: rules.filter((rule) => chosen.has(rule) && !noted.has(rule)),
    // A note is observed when the program's choice is there, even on a rule that fails for an inherited reason.
    unobservedNotes: rules.filter((rule) => noted.has(rule) && !hasChosenFinding(row, rule)),
  };
}

/** The host pids the row's check could not stop (its verdicts stand, but the row does not conform). */
function leftRunning(row: MatrixRow): number[] {
  return row.report ? leftOnHost(row.report) : [];
}

/** True when the row ran, fails exactly its declared deviations and left nothing running. */
export function conforms(row: MatrixRow, manifest: FixtureManifest): boolean {
  if (!row.report) return row.skipped !== undefined && row.error === undefined;
  const c = compareDeviations(row, manifest);
  return (
    c.undeclared.length === 0 &&
    c.unobserved.length === 0 &&
    c.daemonMismatch === null &&
    c.unnoted.length === 0 &&
    c.unobservedNotes.length === 0 &&
    leftRunning(row).length === 0
  );
}

/**
 * Why a row does not conform, one line each (empty: it conforms, or it was skipped): the text
 * of its JUnit failure, its GitHub annotation and its line in the step summary.
 */
export function conformanceProblems(row: MatrixRow, manifest: FixtureManifest): string[] {
  if (!row.report) return row.skipped !== undefined && row.error === undefined ? [] : [`the check did not run: ${row.error ?? 'unknown error'}`];
  const c = compareDeviations(row, manifest);
  const message = (rule: RuleId): string => row.report!.results.find((r) => r.rule === rule)?.message ?? '';
  const left = leftRunning(row);
  return [
    ...(left.length > 0 ? [leftRunningText(left)] : []),
    ...(c.daemonMismatch ? [c.daemonMismatch] : []),
    ...c.undeclared.map((rule) => `${rule}: failed, not a declared deviation: ${message(rule)}`),
    ...c.unobserved.map((rule) => `${rule}: declared as a deviation but did not fail`),
    ...c.unnoted.map((rule) => `${rule}: found state the program chose, not explained by the manifest's notes: ${message(rule)}`),
    ...c.unobservedNotes.map((rule) => `${rule}: the manifest's notes name chosen state that was not found`),
  ];
}
