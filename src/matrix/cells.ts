import { RULE_IDS, type RuleId } from '../check/report-types.js';
import type { IsolationName } from '../isolation/types.js';
import type { MatrixRow } from './job.js';
import { compareDeviations, failedForNoDaemon, statusOf } from './judge.js';
import { deviationsFor, type LoadedFixture } from './manifest.js';
import { inline, scrubActual } from './scrub.js';

export const SYMBOL = { pass: '✓', fail: '✗', skip: '–', racy: '≈', missing: '?', error: '!' } as const;

/** One table of the matrix: the rows of one isolation, each cell a symbol and maybe a note number. */
export interface IsolationTable {
  isolation: IsolationName;
  rows: { fixture: string; note?: string; cells: string[] }[];
  /** Numbered notes, in order of first use: the ✗ explanations and errors. */
  notes: string[];
}

/** The tables of a matrix run: deterministic text only (no pids, times or temporary paths). */
export function buildTables(isolations: readonly IsolationName[], fixtures: readonly LoadedFixture[], rows: readonly MatrixRow[]): IsolationTable[] {
  return isolations.map((isolation) => {
    const notes: string[] = [];
    const noteNumber = (text: string): number => {
      const at = notes.indexOf(text);
      if (at >= 0) return at + 1;
      notes.push(text);
      return notes.length;
    };
    const tableRows = fixtures.map(({ manifest }) => {
      const row = rows.find((r) => r.isolation === isolation && r.fixture === manifest.name);
      if (!row || row.skipped) {
        return { fixture: manifest.name, note: `skipped: ${inline(row?.skipped ?? 'not run')}`, cells: RULE_IDS.map(() => SYMBOL.skip) };
      }
      if (!row.report) {
        const n = noteNumber(`**${manifest.name}**: the check did not run: ${inline(row.error ?? 'unknown error')}`);
        return { fixture: manifest.name, cells: RULE_IDS.map(() => `${SYMBOL.error} ${n}`) };
      }
      const report = row.report;
      const deviations = deviationsFor(manifest, isolation);
      const { unobserved } = compareDeviations(row, manifest);
      const cells = RULE_IDS.map((rule: RuleId) => {
        const status = statusOf(row, rule);
        if (status === undefined) return SYMBOL.missing;
        const declared = deviations.find((d) => d.rule === rule);
        if (status === 'fail' && !declared && failedForNoDaemon(row, manifest, rule)) {
          return `${SYMBOL.fail} ${noteNumber(`**${manifest.name}**: no daemon to judge; the tool leaves none (the manifest's startsDaemon: false, see its page)`)}`;
        }
        if (status === 'fail') {
          const result = report.results.find((r) => r.rule === rule)!;
          const actual = scrubActual(result.actual, report, row.work);
          const why = declared
            ? `declared deviation: ${inline(declared.reason)}`
            : `**not a declared deviation**: ${inline(scrubActual(result.message, report, row.work))}`;
          return `${SYMBOL.fail} ${noteNumber(`**${manifest.name}** \`${rule}\`: actual \`${inline(actual)}\`; ${why}`)}`;
        }
        if (unobserved.includes(rule)) {
          return `${SYMBOL[status]} ${noteNumber(`**${manifest.name}** \`${rule}\`: declared as a deviation but ${status === 'pass' ? 'passed' : status}; the manifest is out of date`)}`;
        }
        return SYMBOL[status];
      });
      return { fixture: manifest.name, cells };
    });
    return { isolation, rows: tableRows, notes };
  });
}
