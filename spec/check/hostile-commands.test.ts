import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkOnHost } from '../../src/check/index.js';
import { PYTHON } from '../support/steps.js';
import { expectClean, explain, statuses, workDir } from './support.js';

/*
 * Issue 13.7: commands that attack the checker's own machinery get an accurate report, the
 * report is kept, and the pidfile is handled as docs/cli.md says (removed after the check).
 * checkOnHost() makes this worker a child subreaper (process-global; this file's worker only).
 */
const TIMEOUT_MS = 20_000;

describe('the checker reports hostile commands accurately and keeps the report', () => {
  test("a command that kills its parent's process group: not a timeout; the shell's end is reported", async () => {
    const report = await checkOnHost([PYTHON, '-c', 'import os; os.killpg(os.getpgid(os.getppid()), 9)'], { timeoutMs: TIMEOUT_MS });
    expect(report.launcher.timedOut, explain(report)).toBe(false);
    expect(report.launcher.shellEnded).toBe('was killed by SIGKILL');
    expect(report.notes.join('\n')).not.toMatch(/did not return within/);
    expect(report.notes.join('\n')).toMatch(/launching shell .* was killed by SIGKILL \d+ ms after the launch/);
    expect(report.durationMs).toBeLessThan(TIMEOUT_MS);
    expect(statuses(report)['launcher-exit']).toBe('fail');
    expect(report.results.find((r) => r.rule === 'launcher-exit')!.message).toMatch(/killed its parent's process group or hung up its terminal/);
    expect(report.noDaemon?.reason).toMatch(/^the command took down its launching shell/);
    expectClean(report);
  });

  test.runIf(process.getuid?.() === 0)('a command that calls vhangup() (root: CAP_SYS_TTY_CONFIG): the hangup is reported, not a timeout', async () => {
    const report = await checkOnHost([PYTHON, '-c', 'import ctypes; ctypes.CDLL(None).vhangup()'], { timeoutMs: TIMEOUT_MS });
    expect(report.launcher.timedOut, explain(report)).toBe(false);
    expect(report.launcher.shellEnded).toBe('was killed by SIGHUP');
    expect(report.notes.join('\n')).not.toMatch(/did not return within/);
    expectClean(report);
  });

  test('a command that writes much text in a script of several bytes per character: its last lines are whole', async () => {
    // Reads from the terminal end wherever the kernel's buffers do: often inside a character.
    const line = '✗'.repeat(1000);
    const write = `import sys; [sys.stdout.buffer.write(('${line}' + '\\n').encode()) for _ in range(300)]; sys.exit(1)`;
    const report = await checkOnHost([PYTHON, '-c', write], { timeoutMs: TIMEOUT_MS });
    expect(report.noDaemon?.lastLines).toEqual(Array(5).fill(line));
    expectClean(report);
  });

  test('a command that turns its pidfile path into a directory: the report is kept, the directory removed', async () => {
    const pidfile = join(workDir(), 'd.pid');
    const report = await checkOnHost(['/bin/mkdir', pidfile], { pidfile, timeoutMs: TIMEOUT_MS });
    expect(report.verdict).toBe('fail');
    expect(report.notes.join('\n')).toContain(`the pidfile path ${pidfile} was a directory after the check (not a pidfile); removed`);
    expect(existsSync(pidfile)).toBe(false);
    expectClean(report);
  });

  test('a pidfile naming PID 1 is removed after the check (PID 1 is not signalled), so the next check runs', async () => {
    const dir = workDir();
    const pidfile = join(dir, 'one.pid');
    const script = join(dir, 'one.sh');
    writeFileSync(script, `#!/bin/sh\necho 1 > '${pidfile}'\n`, { mode: 0o755 });
    const first = await checkOnHost([script], { pidfile, timeoutMs: TIMEOUT_MS });
    expect(first.daemon).toBeNull();
    expect(first.cleanup.stopped).not.toContain(1);
    expect(existsSync(pidfile)).toBe(false);
    const second = await checkOnHost([script], { pidfile, timeoutMs: TIMEOUT_MS });
    expect(second.daemon).toBeNull();
    expect(existsSync(pidfile)).toBe(false);
    expectClean(second);
  });
});

describe('what the command leaves at the pidfile or log path is never opened so that it blocks or read without end (found by a probe)', () => {
  const cases = [
    ['a FIFO at the pidfile path', (dir: string) => ({ pidfile: join(dir, 'f.pid'), command: ['/bin/sh', '-c', `mkfifo ${join(dir, 'f.pid')}`] })],
    ['a symlink to /dev/zero at the pidfile path', (dir: string) => ({ pidfile: join(dir, 'z.pid'), command: ['/bin/sh', '-c', `ln -s /dev/zero ${join(dir, 'z.pid')}`] })],
  ] as const;
  test.each(cases)('%s: the check ends with a report (it hung before)', async (_what, make) => {
    const { pidfile, command } = make(workDir());
    const report = await checkOnHost([...command], { pidfile, timeoutMs: 3000 });
    expect(report.launcher.timedOut, explain(report)).toBe(false);
    expect(report.verdict).toBe('fail');
    expect(existsSync(pidfile)).toBe(false);
    expectClean(report);
  }, 30_000);

  test('a FIFO as the --stdout log: the check ends with a report (it hung before)', async () => {
    const dir = workDir();
    const fifo = join(dir, 'out');
    spawnSync('mkfifo', [fifo]);
    const report = await checkOnHost(['/usr/bin/setsid', '--fork', '/bin/sleep', '300'], { stdout: fifo, timeoutMs: 3000 });
    expect(report.launcher.timedOut, explain(report)).toBe(false);
    expectClean(report);
  }, 30_000);
});
