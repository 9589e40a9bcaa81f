import { RULE_IDS, type RuleId } from '../check/report-types.js';
import type { IsolationName } from '../isolation/types.js';
import type { MatrixRow } from './job.js';
import { compareDeviations, failedForNoDaemon, statusOf } from './judge.js';
import { deviationsFor, type LoadedFixture } from '../check/fixtures.js';
import { inline, scrubActual } from './scrub.js';

export const SYMBOL = { pass: '✓', fail: '✗', skip: '–', racy: '≈', missing: '?', error: '!' } as const;

/**
 * One table of the matrix: the rows of one isolation, each cell a symbol and maybe a note
 * letter. Notes are lettered per row (a, b, ...), so a change in one tool's results changes
 * only that tool's row and notes.
 */
export interface IsolationTable {
  isolation: IsolationName;
  rows: { fixture: string; note?: string; cells: string[]; notes: string[] }[];
}

/** a, b, ... z, aa, ab ... */
export function noteLetter(index: number): string {
  return index < 26 ? String.fromCharCode(97 + index) : `${noteLetter(Math.floor(index / 26) - 1)}${noteLetter(index % 26)}`;
}

/** The tables of a matrix run: deterministic text only (no pids, times or temporary paths). */
export function buildTables(isolations: readonly IsolationName[], fixtures: readonly LoadedFixture[], rows: readonly MatrixRow[]): IsolationTable[] {
  return isolations.map((isolation) => {
    const tableRows = fixtures.map(({ manifest }) => {
      const notes: string[] = [];
      const noteNumber = (text: string): string => {
        const at = notes.indexOf(text);
        if (at >= 0) return noteLetter(at);
        notes.push(text);
        return noteLetter(notes.length - 1);
      };
      const row = rows.find((r) => r.isolation === isolation && r.fixture === manifest.name);
      if (!row || row.skipped) {
        return { fixture: manifest.name, note: `skipped: ${inline(row?.skipped ?? 'not run')}`, cells: RULE_IDS.map(() => SYMBOL.skip), notes };
      }
      if (!row.report) {
        const n = noteNumber(`the check did not run: ${inline(row.error ?? 'unknown error')}`);
        return { fixture: manifest.name, cells: RULE_IDS.map(() => `${SYMBOL.error} ${n}`), notes };
      }
      const report = row.report;
      const deviations = deviationsFor(manifest, isolation);
      const { unobserved } = compareDeviations(row, manifest);
      const cells = RULE_IDS.map((rule: RuleId) => {
        const status = statusOf(row, rule);
        if (status === undefined) return SYMBOL.missing;
        const declared = deviations.find((d) => d.rule === rule);
        if (status === 'fail' && !declared && failedForNoDaemon(row, manifest, rule)) {
          return `${SYMBOL.fail} ${noteNumber(`no daemon to judge; the tool leaves none (the manifest's startsDaemon: false, see its page)`)}`;
        }
        if (status === 'fail') {
          const result = report.results.find((r) => r.rule === rule)!;
          const actual = scrubActual(result.actual, report, row.work);
          const why = declared
            ? `declared deviation: ${inline(declared.reason)}`
            : `**not a declared deviation**: ${inline(scrubActual(result.message, report, row.work))}`;
          return `${SYMBOL.fail} ${noteNumber(`\`${rule}\`: actual \`${inline(actual)}\`; ${why}`)}`;
        }
        if (unobserved.includes(rule)) {
          return `${SYMBOL[status]} ${noteNumber(`\`${rule}\`: declared as a deviation but ${status === 'pass' ? 'passed' : status}; the manifest is out of date`)}`;
        }
        return SYMBOL[status];
      });
      return { fixture: manifest.name, cells, notes };
    });
    return { isolation, rows: tableRows };
  });
}
