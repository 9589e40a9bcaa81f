import type { Deviation, LoadedFixture } from '../check/fixtures.js';
import { shellQuote } from '../report/format.js';
import { inline } from './scrub.js';

/** A manifest's argv as typed in a shell; placeholders such as {dir} stay as they are. */
function typed(argv: readonly string[]): string {
  return argv.map((arg) => (/[\s'"$\\|;&<>()*?`]/.test(arg) ? shellQuote([arg]) : arg)).join(' ');
}

function list(heading: string, entries: readonly Deviation[]): string[] {
  if (entries.length === 0) return [];
  return [heading, '', ...entries.map((d) => `- \`${d.rule}\`${d.isolations ? ` (${d.isolations.join(', ')} only)` : ''}: ${inline(d.reason)}`), ''];
}

/** One fixture's page: what runs, what it fails on purpose, what it chooses, where it races. */
function page({ manifest: m }: LoadedFixture): string[] {
  const lines = [`### <a id="fixture-${m.name}"></a>${m.name}`, '', `${inline(m.title)}. Tool: ${inline(m.tool)}.`, ''];
  if (m.setup) lines.push(`Set-up before each check (writes the configuration into the check's directory): \`${inline(m.setup.join(' '))}\`.`, '');
  lines.push(`Command: \`${inline(typed(m.command))}\`${m.check.profile ? ` (profile ${m.check.profile})` : ''}.`, '');
  if (m.requires?.isolations) lines.push(`Runs under ${m.requires.isolations.join(', ')} only.`, '');
  if (m.startsDaemon === false) {
    lines.push('It leaves no daemon (the manifest says `startsDaemon: false`): rules that need one fail for that reason.', '');
  }
  if (m.deviations.length === 0) lines.push('Declared deviations: none (it is expected to pass every rule it is judged on).', '');
  lines.push(...list('Declared deviations:', m.deviations));
  lines.push(...list('Chosen by the tool itself (notes, not failures):', m.notes ?? []));
  lines.push(...list('Races (the verdict depends on scheduling; shown as ≈ whichever way a run went):', m.races ?? []));
  return lines;
}

/** The fixtures' pages under a heading (the marked `fixtures` and `real-fixtures` sections of the document). */
export function fixturePages(heading: string, fixtures: readonly LoadedFixture[]): string {
  const lines = [heading, ''];
  for (const fixture of fixtures) lines.push(...page(fixture));
  return lines.join('\n').trimEnd();
}
