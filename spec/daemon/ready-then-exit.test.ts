/**
 * A Node daemon that reports ready and then exits at once: when the original sees the death, it
 * says "reported ready, then exited with status 3", never "exited before it reported ready"
 * (issue 12.5). Whether it sees the death is a race by nature (the daemon may still run at the
 * instant the original lets go: then the start succeeded), so end to end each run must be one of
 * the two honest outcomes; on one machine about half the runs reported the death, on another none
 * in 64. The wording itself is pinned without the race below, on the start's error factory.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { StartErrors } from '../../src/daemon/start-errors.js';
import type { StartPlan } from '../../src/daemon/start-plan.js';
import { workDir } from '../check/support.js';

const SCRIPT = join(import.meta.dirname, 'ready-then-exits.mjs');
/** Starts until this many deaths were reported, at most MAX_RUNS. */
const DEATHS = 3;
const MAX_RUNS = 16;

test(`ready, then exit 3: every start exits 0 or says "reported ready, then exited with status 3" (until ${DEATHS} deaths, at most ${MAX_RUNS} starts)`, () => {
  const work = workDir();
  const outcomes: string[] = [];
  for (let i = 0; i < MAX_RUNS && outcomes.filter((o) => o === 'died').length < DEATHS; i++) {
    const r = spawnSync(process.execPath, [SCRIPT, join(work, `d${i}.pid`), join(work, 'err.log')], { encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0) {
      outcomes.push('ready');
      continue;
    }
    expect(r.status, `run ${i}: ${r.stderr}`).toBe(1);
    expect(r.stderr).not.toMatch(/before it reported ready/);
    // Without the status only when the intermediate's report did not come within its 2 s (a loaded machine).
    expect(r.stderr).toMatch(/^daemonspec: the daemon \(PID \d+\) reported ready, then exited( with status 3)?: see its error below or in /);
    outcomes.push('died');
  }
  expect(outcomes.length).toBeGreaterThan(0);
});

test('a death after the daemon reported ready is worded as such; before it, as a failure to get ready', () => {
  const plan = { path: '/usr/bin/node', stderr: '/tmp/err.log' } as unknown as StartPlan;
  const errors = new StartErrors(plan, { daemonPid: 4242, outer: 4241, stderrIsFile: true }, '');
  const exit3 = { kind: 'exit', status: 3 } as const;
  expect(errors.died(exit3).message).toMatch(/^the daemon \(PID 4242\) exited with status 3 before it reported ready: /);
  errors.markReported();
  expect(errors.died(exit3).message).toMatch(/^the daemon \(PID 4242\) reported ready, then exited with status 3: see its error below or in \/tmp\/err\.log$/);
  expect(errors.died({ kind: 'exit', status: 137 }).message).toMatch(/reported ready, then was killed by signal 9/);
});
