/**
 * Host checks run side by side in one process (fuzz's and the API's default): a daemon that
 * clears its environment carries no check's marker, so each check can find it only as an orphan
 * this process adopted, and every check's orphans are adopted by the same process. Each check
 * tags its launcher with a soft RLIMIT_MSGQUEUE of its own (inherited through fork, exec, setsid
 * and setuid; no daemonizer touches it), so an orphan carrying another check's tag is not taken.
 */
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { checkOnHost } from '../../src/check/index.js';
import { explain } from './support.js';

const SIDE_BY_SIDE = 8;

// bash sets the tag (dash's ulimit has no -q); util-linux setsid -f makes the daemon.
const RUNS = process.platform === 'linux' && existsSync('/bin/bash') && existsSync('/usr/bin/setsid');

describe.runIf(RUNS)('host checks side by side in one process', () => {
  test(`${SIDE_BY_SIDE} checks of an environment-clearing daemon each find their own daemon`, async () => {
    const reports = await Promise.all(
      Array.from({ length: SIDE_BY_SIDE }, () => checkOnHost(['/usr/bin/setsid', '-f', '/usr/bin/env', '-i', '/bin/sleep', '30'], {})),
    );
    for (const report of reports) expect(report.noDaemon, explain(report)).toBeNull();
    const pids = reports.map((report) => report.daemon?.pid);
    expect(new Set(pids).size).toBe(SIDE_BY_SIDE);
  });
});
