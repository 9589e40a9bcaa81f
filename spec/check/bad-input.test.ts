import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkOnHost } from '../../src/check/index.js';
import { correctExpectations, correctSteps, PYTHON, STEPS_DAEMON, stepPaths, stepsCommand, type Step } from '../support/steps.js';
import { expectClean, explain, statuses, workDir } from './support.js';

// checkOnHost() makes this worker a child subreaper (process-global; this file's worker only).
describe('bad input gives a clear verdict or error within the timeout and leaves nothing running', () => {
  test('command not found: an ECHECK error, nothing started', async () => {
    await expect(checkOnHost(['no-such-command-daemonspec'], {})).rejects.toMatchObject({
      code: 'ECHECK',
      refused: true,
      message: expect.stringContaining('command not found: no-such-command-daemonspec'),
    });
    await expect(checkOnHost(['/nonexistent/daemon'], {})).rejects.toMatchObject({ code: 'ECHECK', refused: true });
  });

  test('what is refused before the check starts says so: error.refused, as docs/library.md promises', async () => {
    const { checkDaemon } = await import('../../src/isolation/index.js');
    const pidfile = join(workDir(), 'planted.pid');
    writeFileSync(pidfile, '1\n');
    for (const [command, options] of [
      [['/bin/true'], { pidfile }],
      [['/bin/true'], { profile: 'nosuch' }],
      [['/bin/true'], { lifecycle: true }],
      [['/bin/true'], { caller: { umask: 'x' } }],
      [['/bin/true'], { isolation: 'nosuch' }],
      [['/bin/true'], { caller: { subreaper: false }, isolation: 'docker-init' }],
      [[], {}],
    ] as const) {
      await expect(checkDaemon(command, options as never), JSON.stringify(options)).rejects.toMatchObject({ code: 'EUSAGE', refused: true });
    }
  });

  test('a command that never daemonizes is killed at the timeout: launcher-exit fails', async () => {
    const report = await checkOnHost(['/bin/sleep', '1000'], { timeoutMs: 1500 });
    expect(report.launcher.timedOut).toBe(true);
    expect(statuses(report)['launcher-exit'], explain(report)).toBe('fail');
    expect(report.daemon).toBeNull();
    expect(report.verdict).toBe('fail');
    expectClean(report);
  });

  test('a daemon that dies at once: no daemon, one finding; the rules that need one are not judged, with the reason', async () => {
    const report = await checkOnHost(stepsCommand([{ step: 'fork' }, { step: 'setsid' }, { step: 'fork' }, { step: 'exit-early' }]), {});
    expect(report.daemon).toBeNull();
    const s = statuses(report);
    expect(s['launcher-exit']).toBe('pass');
    expect(report.verdict).toBe('fail');
    expect(report.noDaemon?.reason).toMatch(/^the command exited with status 0; nothing the command started is still running/);
    for (const rule of ['reparented', 'new-session', 'no-controlling-tty', 'umask', 'no-leaked-fds', 'survives-hangup'] as const) {
      expect(s[rule], explain(report)).toBe('skip');
      expect(report.results.find((r) => r.rule === rule)!.message).toMatch(/^not judged: no daemon found/);
    }
    expectClean(report);
  });

  test('a pidfile that never appears: the pidfile and readiness rules fail, the orphan is still judged', async () => {
    const paths = stepPaths(workDir());
    const steps = correctSteps(paths).filter((s) => s.step !== 'pidfile');
    const { readyLog: _r, expectLog: _e, ...expectations } = correctExpectations(paths);
    // The pidfile wait costs the whole timeout; the orphan must still be found within it, loaded or not.
    const report = await checkOnHost(stepsCommand(steps), { ...expectations, timeoutMs: process.env.CI ? 10_000 : 5000 });
    const s = statuses(report);
    expect(s.pidfile, explain(report)).toBe('fail');
    expect(report.results.find((r) => r.rule === 'pidfile')!.message).toMatch(/never appeared/);
    expect(s['ready-before-exit']).toBe('fail');
    expect(s['new-session']).toBe('pass');
    expect(report.notes.join('\n')).toMatch(/did not name a running process/);
    expectClean(report);
  });

  test('a command that daemonizes twice: both pids reported; the pidfile picks the judged one', async () => {
    const paths = stepPaths(workDir());
    const one: Step[] = correctSteps(paths);
    const other = [PYTHON, STEPS_DAEMON, 'fork', 'setsid', 'fork', 'close-fds', 'stdin=/dev/null', 'ready-log=x'];
    const script = `${stepsCommand(one).map((a) => `'${a}'`).join(' ')} && exec ${other.map((a) => `'${a}'`).join(' ')}`;
    const withPidfile = await checkOnHost(['/bin/sh', '-c', script], correctExpectations(paths));
    expect(withPidfile.candidates, explain(withPidfile)).toHaveLength(2);
    expect(withPidfile.notes.join('\n')).toMatch(/left 2 daemons/);
    expect(withPidfile.daemon?.pid).toBe(Number(withPidfile.results.find((r) => r.rule === 'pidfile')!.expected?.toString().trim()));
    expectClean(withPidfile);

    const without = await checkOnHost(['/bin/sh', '-c', script], {});
    expect(without.candidates).toHaveLength(2);
    expect(without.daemon).toBeNull();
    expect(without.verdict).toBe('fail');
    expect(without.results.find((r) => r.rule === 'new-session')!.message).toMatch(/no single daemon.*--pidfile/);
    expectClean(without);
  });
});
