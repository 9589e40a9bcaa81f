/**
 * Shared fast-check settings for the property tests (spec/properties/). Every property spawns
 * real processes, so runs are few by default and a failure must be replayable exactly:
 *
 *   FC_SEED=<seed> FC_PATH=<path> PROPERTY_RUNS=<n> npx vitest run <file>
 *
 * - `PROPERTY_RUNS`: number of runs of every property (a nightly job raises it); default per property.
 * - `FC_SEED`: the seed. Without it the seed is fixed in CI (`CI` set) and random locally.
 * - `FC_PATH`: with FC_SEED, replays the shrunk counterexample directly (the `path` of the report).
 */
import fc from 'fast-check';

/** The seed CI uses unless FC_SEED says otherwise: the same cases on every CI run. */
export const CI_SEED = 20_261_125;

export interface PropertyOptions {
  /** Runs when PROPERTY_RUNS is not set: size it to the cost of one run. */
  runs: number;
  /** The vitest timeout of the test running the property (ms). */
  timeoutMs: number;
}

function envInt(...names: string[]): number | undefined {
  for (const name of names) {
    const raw = process.env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
    return value;
  }
  return undefined;
}

/** Runs of a property: PROPERTY_RUNS, else its default. */
export function propertyRuns(defaultRuns: number): number {
  return envInt('PROPERTY_RUNS') ?? defaultRuns;
}

/**
 * A vitest timeout that grows with PROPERTY_RUNS, so a nightly run with many runs is not cut
 * short: `perRunMs` is a generous cost of one run on a loaded machine, never less than `minMs`.
 */
export function propertyTimeout(defaultRuns: number, perRunMs: number, minMs = 120_000): number {
  return Math.max(minMs, propertyRuns(defaultRuns) * perRunMs * 2);
}

/** The seed of this process: FC_SEED, else fixed in CI, else random (printed on failure). */
export function propertySeed(): number {
  return envInt('FC_SEED') ?? (process.env.CI ? CI_SEED : (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0);
}

/**
 * fast-check parameters: numRuns (PROPERTY_RUNS or the default), the seed, the replay path,
 * an interruption at 60% of the test timeout (so a slow machine runs fewer cases instead of
 * timing out; an interruption after a failure still reports the failure; in CI, fewer than half
 * the runs fails: see {@link assertProperty}), and verbose reports.
 */
export function propertyParams(options: PropertyOptions): fc.Parameters<unknown> {
  const path = process.env.FC_PATH;
  const seed = propertySeed();
  return {
    numRuns: propertyRuns(options.runs),
    seed,
    ...(path ? { path } : {}),
    interruptAfterTimeLimit: Math.floor(options.timeoutMs * 0.6),
    verbose: fc.VerbosityLevel.Verbose,
  };
}

/** The command that replays a failure of `file` exactly. */
export function replayCommand(file: string, seed: number, path: string | null | undefined, runs: number): string {
  return `FC_SEED=${seed}${path ? ` FC_PATH=${path}` : ''} PROPERTY_RUNS=${runs} npx vitest run ${file}`;
}

/**
 * Runs an async property with {@link propertyParams}. On failure throws fast-check's report
 * (seed, path, shrunk counterexample, the error) headed by the exact replay command.
 */
export async function assertProperty<Ts>(
  property: fc.IAsyncProperty<Ts> | fc.IAsyncPropertyWithHooks<Ts>,
  options: PropertyOptions & { file: string },
): Promise<void> {
  const params = propertyParams(options) as fc.Parameters<Ts>;
  const details = await fc.check(property, params);
  if (details.interrupted && !details.failed) {
    const planned = params.numRuns ?? options.runs;
    const said = `${options.file}: property interrupted at the time limit (${params.interruptAfterTimeLimit} ms) after ${details.numRuns} of ${planned} runs (seed ${details.seed})`;
    // Locally a slow machine may run fewer cases; CI promises the cases of its fixed seed, and a
    // run that did less than half of them has not tested what it claims to.
    if (process.env.CI && details.numRuns * 2 < planned) {
      const replay = replayCommand(options.file, details.seed, null, planned);
      throw new Error(`${said}: fewer than half the runs in CI, so the property was not really checked; the machine is too slow or one run hangs. Replay: ${replay}`);
    }
    console.warn(said);
  }
  if (!details.failed) return;
  const report = (await fc.asyncDefaultReportMessage(details)) ?? 'property failed';
  const replay = replayCommand(options.file, details.seed, details.counterexamplePath, params.numRuns ?? options.runs);
  const error = new Error(`${report}\n\nReplay: ${replay}`);
  if (details.errorInstance instanceof Error) error.cause = details.errorInstance;
  throw error;
}
