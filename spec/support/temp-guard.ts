import { chmodSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRunning } from '../../src/inspect/index.js';

/**
 * The leftover guard for temporary directories (issue 13.8). The test run gets a directory of
 * its own and TMPDIR names it, so os.tmpdir() — and with it tmp-promise, the checker's trap
 * directory, the steps daemons' work directories — lands there for every worker and every
 * process a test starts. When the run ends, whatever is still in it is something a test (or the
 * code under test) failed to remove: it is listed, removed, and the run fails.
 */
export interface TempGuard {
  /** The run's temporary directory (TMPDIR for everything the run starts). */
  readonly dir: string;
  /** Names left in `dir`, which is then removed with them. */
  finish(): string[];
}

const RUN_PREFIX = 'daemonspec-test-run-';

/**
 * A run's directory is named by its pid, `p` and base 36: no longer than the six characters
 * mkdtemp would add, since unix socket paths under it are near their limit (gpg-agent's fails
 * past 107 bytes); unique among live runs, and the next run can tell when its run is gone.
 */
export function runDirName(pid: number): string {
  return `${RUN_PREFIX}p${pid.toString(36)}`;
}

/**
 * Removes the run directories of earlier runs whose process is gone: a run killed before its
 * teardown (SIGKILL, a CI job cancelled) could not remove its own. A directory of a live run is
 * left alone. Returns the names removed.
 */
export function removeAbandonedRunDirs(parent: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(parent)) {
    const owner = new RegExp(`^${RUN_PREFIX}p([0-9a-z]{1,6})$`).exec(name);
    if (owner === null || isRunning(parseInt(owner[1]!, 36))) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

export function startTempGuard(): TempGuard {
  removeAbandonedRunDirs(tmpdir());
  const dir = join(tmpdir(), runDirName(process.pid));
  mkdirSync(dir, 0o700);
  chmodSync(dir, 0o755);
  process.env.TMPDIR = dir;
  return {
    dir,
    finish() {
      let left: string[] = [];
      try {
        left = readdirSync(dir).sort();
      } catch {
        // removed under us: nothing to report
      }
      rmSync(dir, { recursive: true, force: true });
      return left;
    },
  };
}

export function leftoverTempMessage(left: readonly string[]): string {
  return (
    `The test run left ${left.length} temporary entr${left.length === 1 ? 'y' : 'ies'} (now removed); a test must remove what it creates ` +
    `(tmp-promise, or the spec support helpers):\n` +
    left.map((name) => `  ${name}`).join('\n')
  );
}
