import { START_RULE_IDS, type RuleId } from '../check/report-types.js';
import type { IsolationName } from '../isolation/types.js';
import type { MatrixRow } from './job.js';
import { compareDeviations, hasChosenNote, statusOf } from './judge.js';
import { deviationsFor, notesFor, racesFor, type LoadedFixture } from '../check/fixtures.js';
import { chosenNote } from '../report/findings.js';
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

/**
 * The tables of a matrix run: deterministic text only (no pids, times or temporary paths). A
 * column per rule of `rules`: the start rules by default, the life-cycle and credential rules
 * for the table of the fixtures that ask for them.
 */
export function buildTables(
  isolations: readonly IsolationName[],
  fixtures: readonly LoadedFixture[],
  rows: readonly MatrixRow[],
  rules: readonly RuleId[] = START_RULE_IDS,
): IsolationTable[] {
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
        return { fixture: manifest.name, note: `skipped: ${inline(row?.skipped ?? 'not run')}`, cells: rules.map(() => SYMBOL.skip), notes };
      }
      if (!row.report) {
        const n = noteNumber(`the check did not run: ${inline(row.error ?? 'unknown error')}`);
        return { fixture: manifest.name, cells: rules.map(() => `${SYMBOL.error} ${n}`), notes };
      }
      const report = row.report;
      const deviations = deviationsFor(manifest, isolation);
      const declaredNotes = notesFor(manifest, isolation);
      const races = racesFor(manifest, isolation);
      const { unobserved, unobservedNotes } = compareDeviations(row, manifest);
      const cells = rules.map((rule: RuleId) => {
        const status = statusOf(row, rule);
        if (status === undefined) return rules === START_RULE_IDS ? SYMBOL.missing : SYMBOL.skip;
        const declared = deviations.find((d) => d.rule === rule);
        const result = report.results.find((r) => r.rule === rule)!;
        const race = races.find((d) => d.rule === rule);
        // The same cell whichever way this run went: the document must not change with the scheduler.
        if (race && status !== 'skip') return `${SYMBOL.racy} ${noteNumber(`\`${rule}\`: a race, passes or fails from run to run: ${inline(race.reason)}`)}`;
        if (status === 'skip' && report.noDaemon !== null && result.message.startsWith('not judged: ')) {
          const why = manifest.startsDaemon === false ? "the tool leaves none (the manifest's startsDaemon: false, see its page)" : '**a daemon was expected**';
          return `${SYMBOL.skip} ${noteNumber(`no daemon to judge: ${why}`)}`;
        }
        if (hasChosenNote(row, rule)) {
          const noted = declaredNotes.find((n) => n.rule === rule);
          const what = scrubActual(chosenNote(result), report, row.work);
          const why = noted ? inline(noted.reason) : '**not a declared note**';
          return `${SYMBOL[status]} ${noteNumber(`\`${rule}\`: ${inline(what)}; ${why}`)}`;
        }
        if (unobservedNotes.includes(rule)) {
          return `${SYMBOL[status]} ${noteNumber(`\`${rule}\`: declared as a note but nothing chosen was found; the manifest is out of date`)}`;
        }
        if (status === 'fail') {
          const actual = scrubActual(result.actual, report, row.work);
          const noted = declaredNotes.find((n) => n.rule === rule);
          const also = noted ? ` Besides, chosen by the program: ${inline(noted.reason)}` : '';
          const why = declared
            ? `declared deviation: ${inline(declared.reason)}${also}`
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
