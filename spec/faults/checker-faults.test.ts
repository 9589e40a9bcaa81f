import { describe, expect, test } from 'vitest';
import { checkDaemon } from '../../src/isolation/index.js';
import { expectClean, explain, statuses, workDir } from '../check/support.js';
import { correctExpectations, correctSteps, stepPaths, stepsCommand } from '../support/steps.js';

/*
 * Faults of the checker (issue 5): hostile commands give a clear verdict within the timeout and
 * leave nothing running (the report's cleanup, and an independent look at every pid it saw).
 *
 * Already covered in spec/check/bad-input.test.ts, not repeated: a command that never exits
 * (killed at the timeout, launcher-exit fails), command not found, a daemon that dies at once,
 * a pidfile that never appears, a command that daemonizes twice.
 *
 * checkDaemon() makes this worker a child subreaper (process-global; this file's worker only).
 */

const q = (args: readonly string[]): string => args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

describe('checker faults: a clear verdict within the timeout, nothing left running', () => {
  test('a command that forks a hundred children and exits: no single daemon, all hundred stopped', async () => {
    const report = await checkDaemon(['/bin/sh', '-c', 'for i in $(seq 100); do /bin/sleep 300 & done'], { timeoutMs: 5000 });
    expect(report.candidates.length, explain(report)).toBe(100);
    expect(report.daemon).toBeNull();
    expect(report.verdict).toBe('fail');
    expect(report.results.find((r) => r.rule === 'new-session')!.message).toMatch(/no single daemon/);
    expect(new Set(report.cleanup.stopped)).toEqual(new Set(report.candidates));
    expectClean(report);
  });

  test('output that floods the pty (4 MB) before daemonizing: the terminal is drained, the daemon judged, the kept output bounded', async () => {
    const paths = stepPaths(workDir());
    const flood = `head -c 4000000 /dev/zero | tr '\\000' x; exec ${q(stepsCommand(correctSteps(paths)))}`;
    const report = await checkDaemon(['/bin/sh', '-c', flood], { ...correctExpectations(paths), timeoutMs: 20_000 });
    expect(report.launcher.timedOut, explain(report).slice(0, 4000)).toBe(false);
    expect(report.launcher.exitCode).toBe(0);
    expect(report.daemon?.cmdline.slice(0, 2)).toEqual(stepsCommand([]));
    expect(report.verdict, explain(report).slice(-4000)).toBe('pass');
    expect(report.terminalOutput.length).toBeGreaterThan(0);
    expect(report.terminalOutput.length).toBeLessThan(1_000_000);
    expectClean(report);
  });

  test('a pidfile with garbage in it: the pidfile rule fails saying what it holds, the daemon is still found and judged', async () => {
    const paths = stepPaths(workDir());
    const steps = correctSteps(paths).filter((s) => s.step !== 'pidfile');
    const script = `printf 'garbage\\0\\n' > ${q([paths.pidfile])}; exec ${q(stepsCommand(steps))}`;
    const report = await checkDaemon(['/bin/sh', '-c', script], { ...correctExpectations(paths), timeoutMs: process.env.CI ? 10_000 : 4000 });
    const s = statuses(report);
    expect(s.pidfile, explain(report)).toBe('fail');
    expect(report.results.find((r) => r.rule === 'pidfile')!.message).toMatch(/garbage|not a pid|no pid|malformed|does not hold/i);
    expect(report.daemon, explain(report)).not.toBeNull();
    expect(s['new-session']).toBe('pass');
    expect(s['no-leaked-fds']).toBe('pass');
    expectClean(report);
  });
});
