/**
 * `check --notify-fd N` end to end: s6's readiness protocol judged from outside, on a small
 * daemon that writes the newline, closes the fd without one and fails, or closes it mute.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { NEUTRAL_CALLER } from '../../src/check/caller-spec.js';
import { checkOnHost } from '../../src/check/index.js';
import { runCli } from '../cli/run-cli.js';
import { expectClean, explain, statuses, workDir } from './support.js';

const DAEMON = fileURLToPath(new URL('./notify-fd-daemon.py', import.meta.url));

async function check(mode: string, fd = 3) {
  const pidfile = join(workDir(), 'n.pid');
  const report = await checkOnHost([DAEMON, mode, String(fd), pidfile], { pidfile, notifyFd: fd });
  expectClean(report);
  return report;
}

describe('check --notify-fd', () => {
  test('a newline before the command returns passes notify-fd-ready (fd 3 and fd 9)', async () => {
    for (const fd of [3, 9]) {
      const report = await check('ready', fd);
      expect(statuses(report)['notify-fd-ready'], explain(report)).toBe('pass');
      expect(report.results.at(-1)!.rule).toBe('notify-fd-ready');
    }
  });

  test('an end of file without a newline is a failed start', async () => {
    const report = await check('fails');
    const result = report.results.find((r) => r.rule === 'notify-fd-ready')!;
    expect(result.status, explain(report)).toBe('fail');
    expect(result.message).toBe('fd 3 was closed without a newline: a failed start');
  });

  test('closed mute while the command exits 0: fails, and says the exit status lied', async () => {
    const report = await check('mute');
    const result = report.results.find((r) => r.rule === 'notify-fd-ready')!;
    expect(result.status, explain(report)).toBe('fail');
    expect(result.message).toMatch(/a failed start, yet the command exited 0$/);
  });

  test('caller fds at the numbers the checker keeps its own copies at (1024 and up) do not overwrite the notify pipe (found by a review)', async () => {
    const pidfile = join(workDir(), 'n.pid');
    const fds = [1024, 1025, 1026, 1027].map((fd) => ({ fd, kind: 'pipe' as const, cloexec: false }));
    const report = await checkOnHost([DAEMON, 'ready', '3', pidfile], { pidfile, notifyFd: 3, caller: { ...NEUTRAL_CALLER, fds } });
    expect(statuses(report)['notify-fd-ready'], explain(report)).toBe('pass');
    expectClean(report);
  });

  test('a caller whose stdin is a pipe: the pipe is parked away from the notify fd, which the command gets (found by a second review)', async () => {
    const pidfile = join(workDir(), 'n.pid');
    const report = await checkOnHost([DAEMON, 'ready', '3', pidfile], { pidfile, notifyFd: 3, caller: { ...NEUTRAL_CALLER, stdio: ['pipe', 'tty', 'tty'] } });
    expect(statuses(report)['notify-fd-ready'], explain(report)).toBe('pass');
    expectClean(report);
  });

  test('a caller fd at the notify fd is refused before anything starts (EUSAGE)', async () => {
    const pidfile = join(workDir(), 'n.pid');
    const fds = [{ fd: 3, kind: 'file' as const, cloexec: false }];
    await expect(checkOnHost([DAEMON, 'ready', '3', pidfile], { pidfile, notifyFd: 3, caller: { ...NEUTRAL_CALLER, fds } })).rejects.toMatchObject({
      code: 'EUSAGE',
      message: 'the caller fd 3 is the --notify-fd: give them different numbers',
    });
  });

  test('without --notify-fd the rule is absent', async () => {
    const pidfile = join(workDir(), 'n.pid');
    const report = await checkOnHost([DAEMON, 'mute', '3', pidfile], { pidfile });
    expect(report.results.map((r) => r.rule)).not.toContain('notify-fd-ready');
    expectClean(report);
  });

  test.each(['2', '10', '0'])('refuses --notify-fd %s before anything starts (exit 2)', async (fd) => {
    const r = await runCli(['check', '--notify-fd', fd, '--', '/bin/true']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--notify-fd/);
  });
});
