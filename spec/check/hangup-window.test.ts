/**
 * The survives-hangup window (issue 14.3): cut short when the hang-up cannot reach the daemon,
 * waited out otherwise, ended early by the daemon's death. The report says which, and why.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkOnHost } from '../../src/check/index.js';
import type { CheckReport } from '../../src/check/report-types.js';
import { explain, statuses, workDir } from './support.js';

async function check(script: string): Promise<CheckReport> {
  const pidfile = join(workDir(), 'd.pid');
  return checkOnHost(['/bin/sh', '-c', script.replaceAll('PIDFILE', pidfile)], { pidfile });
}

describe.runIf(process.platform === 'linux')('the survives-hangup window', () => {
  test('a daemon in its own session without terminal fds: known at once, and the report says why', async () => {
    const report = await check('setsid -f /bin/sh -c \'echo $$ > PIDFILE; exec sleep 300\' </dev/null >/dev/null 2>&1');
    expect(statuses(report)['survives-hangup'], explain(report)).toBe('pass');
    expect(report.windows).toEqual([
      { window: 'survives-hangup', fullMs: 300, waitedMs: 0, endedBy: 'known', why: expect.stringContaining("outside the terminal's session") },
    ]);
  });

  test('the same daemon holding the terminal on its stdio: the window is waited out', async () => {
    const report = await check('setsid -f /bin/sh -c \'echo $$ > PIDFILE; exec sleep 300\'');
    expect(statuses(report)['survives-hangup'], explain(report)).toBe('pass');
    const [window] = report.windows!;
    expect(window).toMatchObject({ window: 'survives-hangup', endedBy: 'deadline' });
    expect(window!.waitedMs).toBeGreaterThanOrEqual(window!.fullMs);
    expect(window!.why).toBeUndefined();
  });

  test("a process that joined the terminal's foreground group dies of the hang-up: the window ends with its death", async () => {
    // It joins the launcher's own group (pgid = sid), which holds the terminal's foreground once the command returned.
    const script = 'import os, signal; os.setpgid(0, os.getsid(0)); open("PIDFILE", "w").write(f"{os.getpid()}\\n"); signal.pause()';
    const report = await check(`/usr/bin/python3 -c '${script}' </dev/null >/dev/null 2>&1 &`);
    expect(statuses(report)['survives-hangup'], explain(report)).toBe('fail');
    expect(report.windows).toEqual([{ window: 'survives-hangup', fullMs: 300, waitedMs: expect.any(Number), endedBy: 'death' }]);
  });
});
