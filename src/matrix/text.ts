import { RULE_IDS } from '../check/report-types.js';
import { buildTables, noteLetter } from './cells.js';
import { ISOLATION_TITLES } from './markdown.js';
import type { MatrixResult } from './run.js';

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

/** The matrix for a terminal: rules numbered in a legend so the table fits. */
export function renderText(result: MatrixResult): string {
  const tables = buildTables(result.isolations, result.fixtures, result.rows);
  const out: string[] = ['rules: ' + RULE_IDS.map((r, i) => `${i + 1} ${r}`).join(', '), ''];
  for (const table of tables) {
    const nameWidth = Math.max(4, ...table.rows.map((r) => r.fixture.length));
    const widths = RULE_IDS.map((_, i) => Math.max(String(i + 1).length, ...table.rows.map((r) => [...r.cells[i]!].length)));
    out.push(ISOLATION_TITLES[table.isolation]);
    out.push(`  ${pad('tool', nameWidth)}  ${RULE_IDS.map((_, i) => pad(String(i + 1), widths[i]!)).join(' ')}`);
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
