import { fillPlaceholders, kindOf, type LoadedFixture, manifestCheck } from '../check/fixtures.js';
import type { FuzzCheckOptions } from '../fuzz/run-caller.js';
import { fuzzDaemon } from '../fuzz/lazy.js';
import { missingRequirement } from './requirements.js';
import { isolationExcluded } from './setup.js';

/** What fuzzing one peer fixture found (`matrix --fuzz N`). */
export interface FuzzPeerRow {
  fixture: string;
  /** Why it was not fuzzed (a set-up to run, a missing tool, not a daemonizer), or null. */
  skipped: string | null;
  /** The smallest caller that broke it, beyond its declared deviations; null: none in `runs` runs. */
  found: { words: string; failing: string[]; checkReplay: string } | null;
  runs: number;
  /** An error of the fuzz itself (the command could not be checked at all). */
  error?: string;
}

/** Why a fixture is not fuzzed here, or null. */
function notFuzzed(fixture: LoadedFixture, fill: (s: string) => string): string | null {
  const m = fixture.manifest;
  if (m.setup) return 'it needs a set-up before each check, which a fuzz run does not do';
  return isolationExcluded(m, 'host') ?? missingRequirement(m, fill);
}

/**
 * The fixture's command and check options for `fuzzDaemon`: its placeholders filled, except
 * the run paths, which become the fuzz's own ({work} is the fuzz's fresh {dir} of each run).
 * The life-cycle and credential steps are left out: the fuzz judges the start.
 */
function fuzzInput(fixture: LoadedFixture): { command: string[]; options: FuzzCheckOptions } {
  const { command, options } = manifestCheck(fixture.manifest, { dir: fixture.dir, work: '{dir}' });
  const { lifecycle: _lifecycle, stopCommand: _stop, user: _user, isolation: _isolation, image: _image, ...start } = options;
  return { command, options: start };
}

/**
 * Fuzzes each daemonizer fixture (issue 11.5; the real daemons are not daemonizers and are left
 * out) with its manifest's options, from `runs` generated
 * callers with one seed, its declared deviations (and races) not counted, so that only what the
 * fixed traps do not already show is found. One fixture at a time; its runs go `jobs` at a time.
 * `env` is added to every run's (the interrupt's marker).
 */
export async function fuzzPeers(
  fixtures: readonly LoadedFixture[],
  settings: { runs: number; seed: number; jobs?: number | undefined; onFixture?: (name: string) => void; env?: Record<string, string> },
): Promise<FuzzPeerRow[]> {
  const rows: FuzzPeerRow[] = [];
  for (const fixture of fixtures.filter((f) => kindOf(f.manifest) === 'daemonizer')) {
    const name = fixture.manifest.name;
    const skipped = notFuzzed(fixture, (s) => fillPlaceholders(s, { dir: fixture.dir, work: '{dir}' }));
    if (skipped !== null) {
      rows.push({ fixture: name, skipped, found: null, runs: 0 });
      continue;
    }
    settings.onFixture?.(name);
    const { command, options } = fuzzInput(fixture);
    const declared = [...fixture.manifest.deviations, ...(fixture.manifest.races ?? [])].map((d) => d.rule);
    try {
      const env = { ...options.env, ...settings.env };
      const report = await fuzzDaemon(command, { ...options, env, runs: settings.runs, seed: settings.seed, jobs: settings.jobs, ignoreRules: declared });
      const found = report.counterexample;
      rows.push({ fixture: name, skipped: null, runs: report.runs, found: found && { words: found.words, failing: found.failing, checkReplay: found.checkReplay } });
    } catch (error) {
      rows.push({ fixture: name, skipped: null, found: null, runs: 0, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return rows;
}
