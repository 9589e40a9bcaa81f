import { RULE_IDS } from '../check/report-types.js';
import type { HtmlCheck, HtmlReportInput } from '../report/html/model.js';
import { compareDeviations } from './judge.js';
import { deviationsFor, racesFor } from '../check/fixtures.js';
import type { MatrixResult } from './run.js';

/** The HTML page's rows for a matrix: each fixture × isolation, its declared deviations marked, its surprises flagged. */
export function matrixChecks(result: MatrixResult): HtmlCheck[] {
  const manifests = new Map(result.fixtures.map((f) => [f.manifest.name, f.manifest]));
  return result.rows.map((row) => {
    const manifest = manifests.get(row.fixture);
    const base: HtmlCheck = { tool: row.fixture, isolation: row.isolation, os: result.os };
    if (row.skipped !== undefined) return { ...base, skipped: row.skipped };
    if (!row.report) return { ...base, error: row.error ?? 'did not run' };
    if (!manifest) return { ...base, report: row.report };
    const c = compareDeviations(row, manifest);
    // A declared race fails in some runs: declared too, as the manifest says it may.
    const declared = [...deviationsFor(manifest, row.isolation), ...racesFor(manifest, row.isolation)].map((d) => d.rule);
    const unexpected = RULE_IDS.filter((r) => [...c.undeclared, ...c.unobserved, ...c.unnoted, ...c.unobservedNotes].includes(r));
    return { ...base, report: row.report, declared, unexpected };
  });
}

export function matrixPage(results: readonly MatrixResult[], title = 'daemonspec conformance matrix'): HtmlReportInput {
  const oses = [...new Set(results.map((r) => r.os))];
  const isolations = [...new Set(results.flatMap((r) => r.isolations))];
  return {
    title,
    subtitle: `${oses.join(', ')} · isolations ${isolations.join(', ')} · seed ${[...new Set(results.map((r) => r.seed))].join(', ')}`,
    checks: results.flatMap(matrixChecks),
  };
}
