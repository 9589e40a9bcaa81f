import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { DaemonspecError } from '../errors.js';
import { isolationAvailability } from '../isolation/availability.js';
import { PROJECT_ROOT } from '../isolation/project.js';
import type { IsolationName } from '../isolation/types.js';
import { type MatrixRow, runFixture } from './job.js';
import { type LoadedFixture, loadFixtures } from '../check/fixtures.js';
import { fillPlaceholders, placeholderValues } from './placeholders.js';
import { runPool } from './pool.js';
import { missingRequirement } from './requirements.js';

export interface MatrixOptions {
  /** Default: host only (needs nothing but this machine). */
  isolations?: readonly IsolationName[];
  /** Fixture names; default: every fixtures/*\/manifest.json. */
  fixtures?: readonly string[];
  /** The folder holding the fixtures. @default <project>/fixtures */
  fixturesDir?: string;
  /** Docker image for the docker isolations. */
  image?: string;
  /** Checks in flight at once. @default the number of CPUs */
  jobs?: number;
  /** Run host checks in this process (only safe with jobs 1) instead of a child process each. @default false */
  hostInProcess?: boolean;
  /** Called as each check finishes (for a progress display). */
  onProgress?: (done: number, total: number, row: MatrixRow) => void;
}

export interface MatrixResult {
  isolations: IsolationName[];
  fixtures: LoadedFixture[];
  /** Sorted by isolation (in the order asked), then fixture name. */
  rows: MatrixRow[];
  durationMs: number;
}

/**
 * Runs every fixture under every isolation. An isolation that cannot run here is an error
 * (its reason names the fix); a fixture whose requirements are missing is a skipped row.
 */
export async function runMatrix(options: MatrixOptions = {}): Promise<MatrixResult> {
  const started = performance.now();
  const isolations: IsolationName[] = [...new Set<IsolationName>(options.isolations ?? ['host'])];
  for (const isolation of isolations) {
    const availability = await isolationAvailability(isolation, options.image);
    if (!availability.available) {
      throw new DaemonspecError('EUNSUPPORTED', `isolation ${isolation} cannot run here: ${availability.reason}`);
    }
  }
  const fixtures = loadFixtures(options.fixturesDir ?? join(PROJECT_ROOT, 'fixtures'), options.fixtures);
  const skipped = new Map<string, string | null>();
  for (const fixture of fixtures) {
    const values = placeholderValues('host', fixture.manifest.name, '/nonexistent');
    skipped.set(fixture.manifest.name, missingRequirement(fixture.manifest, (s) => fillPlaceholders(s, values)));
  }
  const tasks: (() => Promise<MatrixRow>)[] = [];
  let done = 0;
  const total = isolations.length * fixtures.length;
  for (const isolation of isolations) {
    for (const fixture of fixtures) {
      tasks.push(async () => {
        const reason = skipped.get(fixture.manifest.name);
        const row: MatrixRow = reason
          ? { fixture: fixture.manifest.name, isolation, skipped: reason }
          : await runFixture(fixture, isolation, options.image, options.hostInProcess);
        options.onProgress?.(++done, total, row);
        return row;
      });
    }
  }
  const rows = await runPool(tasks, options.jobs ?? availableParallelism());
  return { isolations, fixtures, rows, durationMs: Math.round(performance.now() - started) };
}
