import { xmlAttr, xmlText } from '../report/xml.js';
import type { MatrixRow } from './job.js';
import { compareDeviations } from './judge.js';
import type { LoadedFixture } from '../check/fixtures.js';
import type { MatrixResult } from './run.js';

// Terminal output in a message can hold control characters XML cannot carry: the report's escapers clean them.
const xml = xmlAttr;

function testcase(row: MatrixRow, fixture: LoadedFixture): string {
  const name = `${row.isolation} ${row.fixture}`;
  const time = ((row.report?.durationMs ?? 0) / 1000).toFixed(3);
  const open = `    <testcase classname="daemonspec.matrix.${row.isolation}" name="${xml(name)}" time="${time}">`;
  if (row.skipped) return `${open}<skipped message="${xml(row.skipped)}"/></testcase>`;
  if (!row.report) return `${open}<error message="${xml(row.error ?? 'did not run')}"/></testcase>`;
  const { undeclared, unobserved, daemonMismatch } = compareDeviations(row, fixture.manifest);
  if (undeclared.length === 0 && unobserved.length === 0 && daemonMismatch === null) return `${open}</testcase>`;
  const lines = [
    ...(daemonMismatch ? [daemonMismatch] : []),
    ...undeclared.map((rule) => `${rule}: failed, not a declared deviation: ${row.report!.results.find((r) => r.rule === rule)?.message ?? ''}`),
    ...unobserved.map((rule) => `${rule}: declared as a deviation but did not fail`),
  ];
  return `${open}<failure message="${xml(lines[0]!)}">${xmlText(lines.join('\n'))}</failure></testcase>`;
}

/** JUnit XML: one suite per isolation, one case per fixture, failing when its failures differ from its declared deviations. */
export function renderJunit(result: MatrixResult): string {
  const suites = result.isolations.map((isolation) => {
    const rows = result.rows.filter((r) => r.isolation === isolation);
    const cases = rows.map((row) => testcase(row, result.fixtures.find((f) => f.manifest.name === row.fixture)!));
    const failures = cases.filter((c) => c.includes('<failure')).length;
    const errors = cases.filter((c) => c.includes('<error')).length;
    const skipped = cases.filter((c) => c.includes('<skipped')).length;
    return `  <testsuite name="matrix ${isolation}" tests="${rows.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="daemonspec matrix">\n${suites.join('\n')}\n</testsuites>\n`;
}
