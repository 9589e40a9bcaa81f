/**
 * `check --notify` end to end: sd_notify judged from outside, on a small daemon that sends
 * READY=1 itself, lets its original send it (with and without MAINPID=), fails with ERRNO=, or
 * says ready only after the command returned. The kernel names each sender (Linux).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { checkOnHost } from '../../src/check/index.js';
import type { CheckReport } from '../../src/check/report-types.js';
import { runCli } from '../cli/run-cli.js';
import { expectClean, explain, workDir } from './support.js';

const DAEMON = fileURLToPath(new URL('./notify-daemon.py', import.meta.url));

async function check(mode: string): Promise<{ report: CheckReport; result: CheckReport['results'][number] }> {
  const pidfile = join(workDir(), 'n.pid');
  const report = await checkOnHost([DAEMON, mode, pidfile], { pidfile, notify: true });
  expectClean(report);
  const result = report.results.find((r) => r.rule === 'notify-ready');
  expect(result, explain(report)).toBeDefined();
  return { report, result: result! };
}

// SCM_CREDENTIALS and the fixture's wait for its original's reaping (/proc) are Linux's.
describe.runIf(process.platform === 'linux')('check --notify', () => {
  test('READY=1 from the daemon itself passes, and its STATUS= is shown', async () => {
    const { report, result } = await check('daemon');
    expect(result.status, explain(report)).toBe('pass');
    expect(result.message).toBe(`READY=1 came from the daemon (pid ${report.daemon!.pid})`);
    expect(result.actual).toMatchObject({ status: 'serving' });
  });

  test('READY=1 from the original, without MAINPID=, fails and names the sender', async () => {
    const { report, result } = await check('original');
    expect(result.status, explain(report)).toBe('fail');
    expect(result.message).toMatch(new RegExp(`^READY=1 came from pid \\d+, not the daemon \\(pid ${report.daemon!.pid}\\), and no MAINPID= named it`));
    expect(result.message).not.toContain(`pid ${report.daemon!.pid},`);
  });

  test('READY=1 from the original with MAINPID=<daemon> passes', async () => {
    const { report, result } = await check('mainpid');
    expect(result.status, explain(report)).toBe('pass');
    expect(result.message).toBe(`READY=1 arrived, and MAINPID= named the daemon (pid ${report.daemon!.pid})`);
  });

  test('ERRNO= is a failed start, shown with its STATUS=', async () => {
    const pidfile = join(workDir(), 'n.pid');
    const report = await checkOnHost([DAEMON, 'errno', pidfile], { pidfile, notify: true });
    expectClean(report);
    const result = report.results.find((r) => r.rule === 'notify-ready')!;
    expect(result.status, explain(report)).toBe('fail');
    expect(result.message).toBe('a failed start: ERRNO=2 (STATUS=no config)');
  });

  test('READY=1 only after the command returned fails: the caller was told "started" too early', async () => {
    const { report, result } = await check('late');
    expect(result.status, explain(report)).toBe('fail');
    expect(result.message).toMatch(/only after the command had returned/);
  });

  test('without --notify the rule is absent, and the command gets no NOTIFY_SOCKET from the checker', async () => {
    const work = workDir();
    const pidfile = join(work, 'n.pid');
    const seen = join(work, 'seen');
    const script = `printf %s "\${NOTIFY_SOCKET-unset}" > ${seen}; sleep 300 </dev/null >/dev/null 2>&1 & echo $! > ${pidfile}`;
    const report = await checkOnHost(['/bin/sh', '-c', script], { pidfile, env: { NOTIFY_SOCKET: '' } });
    expect(report.results.map((r) => r.rule)).not.toContain('notify-ready');
    expect(readFileSync(seen, 'utf8')).toBe('');
    expectClean(report);
  });

  test('the CLI shows the rule in its JSON report', async () => {
    const pidfile = join(workDir(), 'n.pid');
    const r = await runCli(['check', '--json', '--notify', '--pidfile', pidfile, '--', DAEMON, 'daemon', pidfile], {}, 60_000);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(report.results.find((x) => x.rule === 'notify-ready')?.status, r.stderr).toBe('pass');
  });
});
