import type { CheckReport } from '../check/report-types.js';
import { isDaemonspecError } from '../errors.js';
import { CONTAINER_WORK } from '../isolation/project.js';
import { runIsolated } from '../isolation/index.js';
import type { IsolationName, Mount } from '../isolation/types.js';
import { manifestCheck, type LoadedFixture } from '../check/fixtures.js';
import { makeTempDir } from '../check/temp-dir.js';
import { placeholderValues } from './placeholders.js';
import { runSetup } from './setup.js';

/** One cell row of the matrix: a fixture under an isolation, and what came of it. */
export interface MatrixRow {
  fixture: string;
  isolation: IsolationName;
  /** The report, when the check ran. */
  report?: CheckReport;
  /** Why the check did not run or could not finish (missing requirement, engine, timeout...). */
  skipped?: string;
  error?: string;
  /** The work directory's path as the checker saw it (for scrubbing paths from the table). */
  work?: string;
}

/**
 * Runs one fixture under one isolation in a fresh work directory (bound to /work in a
 * container), and removes the directory afterwards. Never throws: errors become the row's `error`.
 * Host checks run as `daemonspec check --json` child processes unless `hostInProcess`: two
 * checks in one process share its subreaper role and its waitpid()s, and were seen to race
 * (one reaping the other's process: ECHILD); a process per check keeps them apart.
 */
export async function runFixture(
  fixture: LoadedFixture,
  isolation: IsolationName,
  how: { image?: string | undefined; hostInProcess?: boolean | undefined; seed?: string | undefined; trace?: boolean | undefined } = {},
): Promise<MatrixRow> {
  const { image, hostInProcess = false, seed, trace } = how;
  const hostDir = makeTempDir(`daemonspec-matrix-${fixture.manifest.name}-`);
  const hostWork = hostDir.path;
  const values = placeholderValues(isolation, fixture.manifest.name, hostWork);
  const mounts: Mount[] = values.work === CONTAINER_WORK ? [{ host: hostWork, container: CONTAINER_WORK }] : [];
  const row: MatrixRow = { fixture: fixture.manifest.name, isolation, work: values.work };
  try {
    // The setup writes on the host: placeholders as the host sees them (the same under namespace).
    runSetup(fixture.manifest, { ...values, dir: fixture.dir, work: hostWork });
    const { command, options } = manifestCheck(fixture.manifest, values);
    if (image !== undefined) options.image = image;
    if (seed !== undefined) options.seed = seed;
    if (trace === true) options.trace = true;
    row.report = await runIsolated(isolation, {
      command,
      options,
      mounts,
      separateProcess: !hostInProcess,
    });
  } catch (error) {
    row.error = isDaemonspecError(error) ? `${error.message}${error.detail ? ` (${error.detail.trim().split('\n').slice(-12).join(' ⏎ ')})` : ''}` : String((error as Error)?.stack ?? error);
  } finally {
    hostDir.remove();
  }
  return row;
}
