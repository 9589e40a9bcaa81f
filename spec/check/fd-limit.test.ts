import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { taggedPids } from '../support/proc.js';
import { testDir } from '../support/temp-dir.js';
import { killUntilGone } from '../support/wait.mjs';
import { CLI } from '../cli/run-cli.js';

/*
 * A check under a low hard limit of open files (a container started with --ulimit nofile=512, a
 * CI runner's ulimit -Hn; Node raises its soft limit to the hard one). It failed with
 * "posix_spawn_file_actions_adddup2() failed: EBADF" under any hard limit below 1000: the leaked-fd
 * traps were drawn up to 999 and the checker's own copies put at 1024 and up. Now both fit under
 * the limit, and a limit too low to hold them is refused with the fix.
 */
const PRLIMIT = '/usr/bin/prlimit';
const SSD = '/usr/sbin/start-stop-daemon';
const NOTIFY_DAEMON = fileURLToPath(new URL('./notify-fd-daemon.py', import.meta.url));
const have = (path: string): boolean => spawnSync(path, ['--version']).status === 0;

interface Report {
  results: { rule: string; status: string }[];
  caller: { fds: { fd: number }[] };
}

/** `check ARGS` under a hard and soft RLIMIT_NOFILE of `limit`, with a tag whose processes are killed at the test's end. */
async function checkUnder(limit: number | null, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; left: number[]; tmp: string }> {
  const tag = randomBytes(6).toString('hex');
  const tagged = (): number[] => taggedPids('FD_LIMIT_TEST', tag);
  const tmp = testDir('fd-limit-', async () => {
    await killUntilGone(tagged, (pid) => pid);
  });
  const argv = [...(limit === null ? [] : [PRLIMIT, `--nofile=${limit}:${limit}`, '--']), process.execPath, CLI, 'check', ...args];
  const r = spawnSync(argv[0]!, argv.slice(1), { env: { ...process.env, TMPDIR: tmp, FD_LIMIT_TEST: tag }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, left: tagged(), tmp };
}

const statuses = (report: Report): Record<string, string> => Object.fromEntries(report.results.map((r) => [r.rule, r.status]));

describe.runIf(have(PRLIMIT) && have(SSD))('check under a low fd limit', () => {
  // Seed s1 draws the traps at fds 333 and 884: the second is above 512.
  const ssd = ['--json', '--seed', 's1', '--', SSD, '--start', '--background', '--exec', '/bin/sleep', '--', '30'];

  test('at 512 open files it judges as at the usual limit, its traps below the limit', async () => {
    const usual = await checkUnder(null, ssd);
    const low = await checkUnder(512, ssd);
    expect(low.stderr).toBe('');
    expect(low.code).toBe(usual.code);
    const report = JSON.parse(low.stdout) as Report;
    expect(statuses(report)).toEqual(statuses(JSON.parse(usual.stdout) as Report));
    for (const { fd } of report.caller.fds) expect(fd).toBeLessThan(512);
    expect(low.left).toEqual([]);
  });

  test('at 512 open files, --notify-fd works (its pipe is kept below the limit too)', async () => {
    const pidfile = join(testDir('fd-limit-notify-'), 'n.pid');
    const r = await checkUnder(512, ['--json', '--notify-fd', '3', '--pidfile', pidfile, '--', NOTIFY_DAEMON, 'ready', '3', pidfile]);
    expect(r.stderr).toBe('');
    expect(statuses(JSON.parse(r.stdout) as Report)['notify-fd-ready']).toBe('pass');
    expect(r.left).toEqual([]);
  });

  test('at 128 open files it is refused before anything starts: exit 2, one line with the fix', async () => {
    const r = await checkUnder(128, ssd);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('daemonspec: the check needs a limit of at least 256 open files, and this process has 128 (RLIMIT_NOFILE): raise it (ulimit -n 1024; docker run --ulimit nofile=1024)\n');
    expect(r.left).toEqual([]);
    expect(readdirSync(r.tmp)).toEqual([]);
  });
});
