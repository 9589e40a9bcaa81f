/**
 * `check --profile systemd` end to end: a new-style service must not daemonize, must send
 * READY=1 from its own process, and must end on SIGTERM; each way of failing is one Python mode.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { checkOnHost } from '../../src/check/index.js';
import type { CheckReport } from '../../src/check/report-types.js';
import { runCli } from '../cli/run-cli.js';
import { expectClean, explain, statuses } from './support.js';

const SERVICE = fileURLToPath(new URL('./service-daemon.py', import.meta.url));

async function check(mode: string, timeoutMs = 10_000): Promise<CheckReport> {
  const report = await checkOnHost([SERVICE, mode], { profile: 'systemd', timeoutMs });
  expectClean(report);
  return report;
}

// SCM_CREDENTIALS names the sender on Linux; macOS would report notify-ready as skip without MAINPID=.
describe.runIf(process.platform === 'linux')('check --profile systemd', () => {
  test('a service that stays in the foreground, says READY=1 and ends on SIGTERM passes the three service rules only', async () => {
    const report = await check('good');
    expect(report.results.map((r) => r.rule)).toEqual(['stays-in-foreground', 'notify-ready', 'stops-on-sigterm']);
    expect(report.verdict, explain(report)).toBe('pass');
    expect(report.daemon).not.toBeNull();
    const ready = report.results.find((r) => r.rule === 'notify-ready')!;
    expect(ready.message).toBe(`READY=1 came from the service's own process (pid ${report.daemon!.pid})`);
  });

  test('an old-style daemon (fork and return 0) fails stays-in-foreground, and its daemon is stopped', async () => {
    const report = await check('forks');
    const result = report.results.find((r) => r.rule === 'stays-in-foreground')!;
    expect(result.status, explain(report)).toBe('fail');
    expect(result.message).toMatch(/^the command's own process \(pid \d+\) exited with status 0 before READY=1: it daemonized/);
    expect(report.verdict).toBe('fail');
  });

  test('READY=1 from a child, without MAINPID=, fails notify-ready', async () => {
    const report = await check('child-ready');
    expect(statuses(report)['stays-in-foreground'], explain(report)).toBe('pass');
    const result = report.results.find((r) => r.rule === 'notify-ready')!;
    expect(result.status, explain(report)).toBe('fail');
    expect(result.message).toMatch(new RegExp(`^READY=1 came from pid \\d+, not the service's own process \\(pid ${report.daemon!.pid}\\)`));
  });

  test('a service that ignores SIGTERM fails stops-on-sigterm, and is killed', async () => {
    const report = await check('ignores-term');
    const result = report.results.find((r) => r.rule === 'stops-on-sigterm')!;
    expect(result.status, explain(report)).toBe('fail');
    expect(result.message).toMatch(/^5 s after SIGTERM, the daemon \(pid \d+\) still ran/);
  });

  test('a service that never says READY=1 fails notify-ready at the deadline, and still stays in the foreground', async () => {
    const report = await check('silent', 1500);
    expect(statuses(report), explain(report)).toMatchObject({ 'stays-in-foreground': 'pass', 'notify-ready': 'fail', 'stops-on-sigterm': 'pass' });
    expect(report.notes).toContain('no READY=1 within 1500 ms');
  });

  test.each([
    ['--lifecycle', ['--lifecycle', '--pidfile', '/tmp/x.pid']],
    ['--pidfile', ['--pidfile', '/tmp/x.pid']],
    ['--notify-fd', ['--notify-fd', '3']],
  ])('refuses %s with the profile before anything starts (exit 2)', async (flag, args) => {
    const r = await runCli(['check', '--profile', 'systemd', ...args, '--', SERVICE, 'good']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${flag} does not apply to --profile systemd`);
  });
});
