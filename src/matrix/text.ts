import { START_RULE_IDS, type RuleId } from '../check/report-types.js';
import { buildTables, type IsolationTable, noteLetter } from './cells.js';
import { kindOf } from '../check/fixtures.js';
import { isolationExcluded } from './setup.js';
import { ISOLATION_TITLES, LATER_RULES, withLaterRules } from './markdown.js';
import type { MatrixResult } from './run.js';

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

/** The matrix for a terminal: rules numbered in a legend so the table fits. */
export function renderText(result: MatrixResult): string {
  const daemonizers = result.fixtures.filter((f) => kindOf(f.manifest) === 'daemonizer');
  const real = result.fixtures.filter((f) => kindOf(f.manifest) === 'real-daemon');
  const later = withLaterRules(daemonizers);
  const realIsolations = result.isolations.filter((i) => real.some((f) => isolationExcluded(f.manifest, i) === null));
  const tables: [string, IsolationTable, readonly RuleId[]][] = [
    ...buildTables(result.isolations, daemonizers, result.rows).map((t): [string, IsolationTable, readonly RuleId[]] => [ISOLATION_TITLES[t.isolation], t, START_RULE_IDS]),
    ...buildTables(realIsolations, real, result.rows).map((t): [string, IsolationTable, readonly RuleId[]] => [`real daemons, ${ISOLATION_TITLES[t.isolation]}`, t, START_RULE_IDS]),
    ...buildTables(result.isolations, later, result.rows, LATER_RULES).map((t): [string, IsolationTable, readonly RuleId[]] => [`life cycle, ${ISOLATION_TITLES[t.isolation]}`, t, LATER_RULES]),
  ].filter(([, t]) => t.rows.length > 0);
  const legend: readonly RuleId[] = later.length > 0 ? [...START_RULE_IDS, ...LATER_RULES] : START_RULE_IDS;
  const out: string[] = ['rules: ' + legend.map((r, i) => `${i + 1} ${r}`).join(', '), ''];
  for (const [title, table, rules] of tables) {
    const numbers = rules.map((rule) => String(legend.indexOf(rule) + 1));
    const nameWidth = Math.max(4, ...table.rows.map((r) => r.fixture.length));
    const widths = numbers.map((n, i) => Math.max(n.length, ...table.rows.map((r) => [...r.cells[i]!].length)));
    out.push(title);
    out.push(`  ${pad('tool', nameWidth)}  ${numbers.map((n, i) => pad(n, widths[i]!)).join(' ')}`);
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
