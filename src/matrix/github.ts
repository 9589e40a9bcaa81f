import { inline } from './scrub.js';
import { conformanceProblems } from './judge.js';
import type { MatrixResult } from './run.js';
import { errorAnnotation } from '../report/github.js';

interface Problem {
  os: string;
  isolation: string;
  fixture: string;
  lines: string[];
}

function problems(results: readonly MatrixResult[]): Problem[] {
  return results.flatMap((result) => {
    const manifests = new Map(result.fixtures.map((f) => [f.manifest.name, f.manifest]));
    return result.rows.flatMap((row) => {
      const manifest = manifests.get(row.fixture);
      const lines = manifest ? conformanceProblems(row, manifest) : [];
      return lines.length === 0 ? [] : [{ os: result.os, isolation: row.isolation, fixture: row.fixture, lines }];
    });
  });
}

/** One `::error` per fixture × isolation × OS that does not fail exactly as its manifest declares. */
export function matrixAnnotations(results: readonly MatrixResult[]): string[] {
  return problems(results).map((p) => errorAnnotation(`daemonspec matrix: ${p.os} ${p.isolation} ${p.fixture}`, p.lines.join('\n')));
}

/** The job summary: counts per OS and isolation, then every row that does not conform, with why. */
export function matrixSummary(results: readonly MatrixResult[], missing: readonly string[] = []): string {
  const found = problems(results);
  const lines = ['## daemonspec conformance matrix', '', '| OS | isolation | checks | conform | do not conform | skipped |', '|---|---|--:|--:|--:|--:|'];
  for (const result of results) {
    for (const isolation of result.isolations) {
      const rows = result.rows.filter((r) => r.isolation === isolation);
      const bad = found.filter((p) => p.os === result.os && p.isolation === isolation).length;
      const skipped = rows.filter((r) => r.skipped !== undefined).length;
      lines.push(`| ${result.os} | ${isolation} | ${rows.length} | ${rows.length - bad - skipped} | ${bad} | ${skipped} |`);
    }
  }
  if (missing.length > 0) lines.push('', `**Missing shards:** ${missing.join(', ')}.`);
  if (found.length > 0) {
    lines.push('', '### Not as declared', '');
    for (const p of found) lines.push(`- **${p.os} ${p.isolation} ${p.fixture}**: ${p.lines.map((l) => inline(l)).join('; ')}`);
  } else {
    lines.push('', 'Every tool fails exactly the rules its manifest declares.');
  }
  return `${lines.join('\n')}\n`;
}
