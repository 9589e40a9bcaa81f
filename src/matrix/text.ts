import { START_RULE_IDS } from '../check/report-types.js';
import { buildTables, type IsolationTable, noteLetter } from './cells.js';
import { kindOf } from '../check/fixtures.js';
import { isolationExcluded } from './setup.js';
import { ISOLATION_TITLES } from './markdown.js';
import type { MatrixResult } from './run.js';

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

/** The matrix for a terminal: rules numbered in a legend so the table fits. */
export function renderText(result: MatrixResult): string {
  const daemonizers = result.fixtures.filter((f) => kindOf(f.manifest) === 'daemonizer');
  const real = result.fixtures.filter((f) => kindOf(f.manifest) === 'real-daemon');
  const realIsolations = result.isolations.filter((i) => real.some((f) => isolationExcluded(f.manifest, i) === null));
  const tables: [string, IsolationTable][] = [
    ...buildTables(result.isolations, daemonizers, result.rows).map((t): [string, IsolationTable] => [ISOLATION_TITLES[t.isolation], t]),
    ...buildTables(realIsolations, real, result.rows).map((t): [string, IsolationTable] => [`real daemons, ${ISOLATION_TITLES[t.isolation]}`, t]),
  ].filter(([, t]) => t.rows.length > 0);
  const out: string[] = ['rules: ' + START_RULE_IDS.map((r, i) => `${i + 1} ${r}`).join(', '), ''];
  for (const [title, table] of tables) {
    const nameWidth = Math.max(4, ...table.rows.map((r) => r.fixture.length));
    const widths = START_RULE_IDS.map((_, i) => Math.max(String(i + 1).length, ...table.rows.map((r) => [...r.cells[i]!].length)));
    out.push(title);
    out.push(`  ${pad('tool', nameWidth)}  ${START_RULE_IDS.map((_, i) => pad(String(i + 1), widths[i]!)).join(' ')}`);
    for (const row of table.rows) {
      out.push(`  ${pad(row.fixture, nameWidth)}  ${row.cells.map((c, i) => pad(c, widths[i]!)).join(' ')}${row.note ? `  ${row.note}` : ''}`);
    }
    for (const row of table.rows) {
      for (const [i, note] of row.notes.entries()) out.push(`  ${row.fixture} ${noteLetter(i)}. ${note.replace(/\*\*/g, '')}`);
    }
    out.push('');
  }
  out.push(`${result.rows.length} checks in ${(result.durationMs / 1000).toFixed(1)} s`);
  return out.join('\n');
}
