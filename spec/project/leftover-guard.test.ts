import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withDir } from 'tmp-promise';
import { describe, expect, it } from 'vitest';
import { testDir } from '../support/temp-dir.js';
import { removeAbandonedRunDirs, runDirName } from '../support/temp-guard.js';

const FIXTURE = resolve('spec/support/guard-fixture');
const VITEST = resolve('node_modules/vitest/vitest.mjs');

/** A vitest run of one fixture file under the project's global setup, from an empty directory (its reports/ lands there). */
async function nestedRun(file: string): Promise<{ status: number | null; output: string; reports: string[] }> {
  return withDir(
    async ({ path: cwd }) => {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'CI') env[k] = v;
      // A marker of its own: the nested guard must not judge (and kill) this run's processes.
      env.DAEMONSPEC_TEST_RUN = `nested-${randomBytes(6).toString('hex')}`;
      const r = spawnSync(process.execPath, [VITEST, 'run', '--root', FIXTURE, '--config', join(FIXTURE, 'vitest.config.ts'), file], {
        cwd,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      const reports = ['leftover-temp.json', 'leftover-processes.json'].filter((name) => existsSync(join(cwd, 'reports', name)));
      return { status: r.status, output: `${r.stdout}\n${r.stderr}`, reports };
    },
    { unsafeCleanup: true, prefix: 'daemonspec-guard-' },
  );
}

// Issue 13.8: the leftover guard covers temporary directories as it covers processes.
describe('the leftover guard (spec/support/global-setup.ts)', () => {
  it('fails a run whose test leaves a directory in the temporary directory, naming it', async () => {
    const r = await nestedRun('leaks-temp-dir');
    expect(r.output).toContain('1 passed');
    expect(r.output).toMatch(/left 1 temporary entry[\s\S]*defect-/);
    expect(r.status).toBe(1);
    expect(r.reports).toEqual(['leftover-temp.json']);
  });

  it('fails a run whose test leaves a process running, killing it and naming its parent, session and directory', async () => {
    const r = await nestedRun('leaks-process');
    expect(r.output).toContain('1 passed');
    expect(r.output).toMatch(/left 1 process\(es\) running \(now killed\)[\s\S]*\d+ \/bin\/sleep 300\n\s+parent \d+ .*; session (\d+) \/bin\/sleep 300; cwd \/$/m);
    expect(r.status).toBe(1);
    expect(r.reports).toEqual(['leftover-processes.json']);
  });

  it('passes a run whose test removes what it creates', async () => {
    const r = await nestedRun('cleans-temp-dir');
    expect(r.output).toContain('1 passed');
    expect(r.output).not.toContain('temporary entr');
    expect(r.status).toBe(0);
    expect(r.reports).toEqual([]);
  });
});

describe('run directories of runs killed before their teardown', () => {
  it('are removed by the next run when their run is gone; a live run keeps its own', () => {
    const parent = testDir('ds-run-dirs-');
    const ended = spawnSync('/bin/true');
    expect(ended.status).toBe(0);
    const gone = runDirName(ended.pid);
    const live = runDirName(process.pid);
    const other = 'daemonspec-check-xyz';
    for (const name of [gone, live, other]) mkdirSync(join(parent, name));
    writeFileSync(join(parent, gone, 'left.txt'), 'what the killed run had not removed\n');
    expect(removeAbandonedRunDirs(parent)).toEqual([gone]);
    expect(readdirSync(parent).sort()).toEqual([other, live].sort());
  });

  it("are named no longer than mkdtemp's names were, for any Linux pid (socket paths under them are near their limit)", () => {
    expect(runDirName(4_194_304).length).toBeLessThanOrEqual('daemonspec-test-run-XXXXXX'.length);
  });
});
