import { xmlAttr, xmlText } from '../report/xml.js';
import type { MatrixRow } from './job.js';
import { conformanceProblems } from './judge.js';
import type { LoadedFixture } from '../check/fixtures.js';
import type { MatrixResult } from './run.js';

// Terminal output in a message can hold control characters XML cannot carry: the report's escapers clean them.
const xml = xmlAttr;

function testcase(row: MatrixRow, fixture: LoadedFixture, os: string): string {
  const name = `${os} ${row.isolation} ${row.fixture}`;
  const time = ((row.report?.durationMs ?? 0) / 1000).toFixed(3);
  const open = `    <testcase classname="daemonspec.matrix.${xml(os)}.${row.isolation}" name="${xml(name)}" time="${time}">`;
  if (row.skipped) return `${open}<skipped message="${xml(row.skipped)}"/></testcase>`;
  if (!row.report) return `${open}<error message="${xml(row.error ?? 'did not run')}"/></testcase>`;
  const lines = conformanceProblems(row, fixture.manifest);
  if (lines.length === 0) return `${open}</testcase>`;
  return `${open}<failure message="${xml(lines[0]!)}">${xmlText(lines.join('\n'))}</failure></testcase>`;
}

/**
 * JUnit XML: one suite per OS and isolation, one case per fixture, failing when its failures
 * differ from its declared deviations. Classnames carry both (`daemonspec.matrix.linux.host`), so
 * the shards of a CI job matrix, merged, stay apart in a dashboard.
 */
export function renderJunit(input: MatrixResult | readonly MatrixResult[]): string {
  const results = Array.isArray(input) ? (input as readonly MatrixResult[]) : [input as MatrixResult];
  const suites = results.flatMap((result) => result.isolations.map((isolation) => suiteXml(result, isolation)));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="daemonspec matrix">\n${suites.join('\n')}\n</testsuites>\n`;
}

function suiteXml(result: MatrixResult, isolation: MatrixResult['isolations'][number]): string {
  // A result built by hand (or read from a report of an earlier version) may lack its OS: this machine's.
  const os = (result.os as string | undefined) ?? process.platform;
  const rows = result.rows.filter((r) => r.isolation === isolation);
  const cases = rows.map((row) => testcase(row, result.fixtures.find((f) => f.manifest.name === row.fixture)!, os));
  const failures = cases.filter((c) => c.includes('<failure')).length;
  const errors = cases.filter((c) => c.includes('<error')).length;
  const skipped = cases.filter((c) => c.includes('<skipped')).length;
  return `  <testsuite name="matrix ${xml(os)} ${isolation}" tests="${rows.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
}
