import { defaultJobs } from '../check/default-jobs.js';
import { join } from 'node:path';
import { DaemonspecError } from '../errors.js';
import { isolationAvailability } from '../isolation/availability.js';
import { packageRoot } from '../package-root.js';
import { ISOLATION_NAMES, type IsolationName } from '../isolation/types.js';
import { type MatrixRow, runFixture } from './job.js';
import { type LoadedFixture, loadFixtures } from '../check/fixtures.js';
import { fillPlaceholders, placeholderValues } from './placeholders.js';
import { runPool } from './pool.js';
import { requireStrace } from '../trace/strace.js';
import { missingRequirement } from './requirements.js';
import { isolationExcluded } from './setup.js';
import { type Shard, shardPairs } from './shard.js';

export interface MatrixOptions {
  /** Default: host only (needs nothing but this machine). */
  isolations?: readonly IsolationName[];
  /** Fixture names; default: every fixtures/*\/manifest.json. */
  fixtures?: readonly string[];
  /** The folder holding the fixtures. @default <project>/fixtures */
  fixturesDir?: string;
  /** Docker image for the docker isolations. */
  image?: string;
  /** Checks in flight at once. @default twice the number of CPUs (defaultJobs()); 1 with hostInProcess */
  jobs?: number;
  /** Run host checks in this process (only safe with jobs 1) instead of a child process each. @default false */
  hostInProcess?: boolean;
  /**
   * The seed every check draws its traps from: fixed, so the same fixtures give the same table
   * (the observed values name the planted signals). @default MATRIX_SEED
   */
  seed?: string;
  /** Trace every check with strace (`--trace`; Linux, strace on PATH, ptrace permitted). @default false */
  trace?: boolean;
  /** Run only this shard of the fixture × isolation pairs (shard.ts: a stable round-robin split). */
  shard?: Shard;
  /** Called as each check finishes (for a progress display). */
  onProgress?: (done: number, total: number, row: MatrixRow) => void;
}

/** The matrix's default seed (docs/conformance.md is generated with it). */
export const MATRIX_SEED = 'matrix';

export interface MatrixResult {
  /** The OS the matrix ran on (process.platform: linux, darwin). */
  os: string;
  isolations: IsolationName[];
  /** The shard this run is (`--shard i/n`), or null for the whole matrix. */
  shard: Shard | null;
  /** The seed every check drew its traps from. */
  seed: string;
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
  const allFixtures = loadFixtures(options.fixturesDir ?? join(packageRoot(), 'fixtures'), options.fixtures);
  const names = allFixtures.map((f) => f.manifest.name);
  const pairs = options.shard
    ? shardPairs(names, isolations, ISOLATION_NAMES, options.shard)
    : isolations.flatMap((isolation) => names.map((fixture) => ({ fixture, isolation })));
  const inShard = new Set(pairs.map((p) => `${p.isolation}\0${p.fixture}`));
  for (const isolation of isolations.filter((i) => pairs.some((p) => p.isolation === i))) {
    const availability = await isolationAvailability(isolation, options.image);
    if (!availability.available) {
      throw new DaemonspecError('EUNSUPPORTED', `isolation ${isolation} cannot run here: ${availability.reason}`);
    }
  }
  // In a container the image's strace decides; on this machine it is checked before anything starts.
  if (options.trace === true && isolations.some((i) => i === 'host' || i === 'namespace')) requireStrace();
  const fixtures = allFixtures.filter((f) => pairs.some((p) => p.fixture === f.manifest.name));
  const skipped = new Map<string, string | null>();
  for (const fixture of fixtures) {
    const values = placeholderValues('host', fixture.manifest.name, '/nonexistent');
    skipped.set(fixture.manifest.name, missingRequirement(fixture.manifest, (s) => fillPlaceholders(s, values)));
  }
  const tasks: (() => Promise<MatrixRow>)[] = [];
  let done = 0;
  for (const isolation of isolations) {
    for (const fixture of fixtures.filter((f) => inShard.has(`${isolation}\0${f.manifest.name}`))) {
      tasks.push(async () => {
        const reason = skipped.get(fixture.manifest.name) ?? isolationExcluded(fixture.manifest, isolation);
        const row: MatrixRow = reason
          ? { fixture: fixture.manifest.name, isolation, skipped: reason }
          : await runFixture(fixture, isolation, { image: options.image, hostInProcess: options.hostInProcess, seed: options.seed ?? MATRIX_SEED, trace: options.trace });
        options.onProgress?.(++done, pairs.length, row);
        return row;
      });
    }
  }
  const rows = await runPool(tasks, options.jobs ?? (options.hostInProcess ? 1 : defaultJobs()));
  const seed = options.seed ?? MATRIX_SEED;
  return { os: process.platform, shard: options.shard ?? null, isolations, seed, fixtures, rows, durationMs: Math.round(performance.now() - started) };
}
