/**
 * `check --trace` end to end: the CLI runs real daemonizers under strace (Debian's) and the
 * report carries the trace; failing rules cite it; without strace the option says so and exits 2
 * before anything starts. Each check stops what it started (report.cleanup, checked below).
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CheckReport } from '../../src/check/index.js';
import { chainTo, chainCalls } from '../../src/trace/chain.js';
import { traceAvailability } from '../../src/trace/strace.js';
import { CLI, runCliSync } from '../cli/run-cli.js';
import { workDir } from '../check/support.js';
import { DEFECTS, READY_TEXT, stepPaths, stepsCommand } from '../support/steps.js';

const available = traceAvailability();
const why = 'reason' in available ? available.reason : '';

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return runCliSync(args, env);
}

function expectStopped(report: CheckReport): void {
  expect(report.cleanup.leftRunning).toEqual([]);
  for (const pid of [...report.cleanup.stopped, ...report.candidates]) expect(() => process.kill(pid, 0)).toThrow();
}

function message(report: CheckReport, rule: string): string {
  return report.results.find((r) => r.rule === rule)!.message;
}

describe.skipIf(why !== '')(`check --trace${why ? ` (not here: ${why})` : ''}`, () => {
  test("daemonspec run: the trace follows every process from the launcher to the daemon, its setsid and its exec; the verdict is unchanged", () => {
    const work = workDir();
    const pidfile = join(work, 'sleep.pid');
    const command = [process.execPath, CLI, 'run', '--pidfile', pidfile, '--', '/bin/sleep', '300'];
    const r = cli(['check', '--json', '--trace', '--pidfile', pidfile, '--', ...command]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(report.verdict).toBe('pass');
    expectStopped(report);
    const trace = report.trace!;
    expect(trace.tool).toBe('strace');
    const daemon = report.daemon!.pid;
    const chain = chainTo(trace, daemon);
    // launcher → the command (node) → ... → the daemon: at least the original and the daemon.
    expect(chain.length, JSON.stringify(trace.processes)).toBeGreaterThanOrEqual(2);
    expect(trace.processes[0]!.parent).toBeNull();
    const calls = chainCalls(trace, chain);
    expect(calls.find((e) => e.call === 'execve')!.args[0]).toBe(JSON.stringify(process.execPath));
    expect(calls.some((e) => e.call === 'setsid' && e.errno === null)).toBe(true);
    const last = calls.filter((e) => e.call === 'execve' && e.errno === null).pop()!;
    expect(last).toMatchObject({ pid: daemon, args: expect.arrayContaining(['"/bin/sleep"']) });
    expect(calls.some((e) => e.call === 'close_range' || (e.call === 'close' && Number(e.args[0]) > 2))).toBe(true);
    const times = trace.events.map((e) => e.time);
    expect(times[0]).toBe(0);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  test('the text report ends with a per-process sequence naming the launcher, the command and the daemon', () => {
    const work = workDir();
    const pidfile = join(work, 'sleep.pid');
    const r = cli(['check', '--trace', '--pidfile', pidfile, '--', process.execPath, CLI, 'run', '--pidfile', pidfile, '--', '/bin/sleep', '300']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^trace \(strace; \d+ processes, \d+ events, \d+ left out; ms since the launcher's exec\):$/m);
    expect(r.stdout).toMatch(/^ {2}\d+ \(launcher\): \+0\.000 execve\("\/bin\/bash"\)/m);
    expect(r.stdout).toMatch(/^ {2}\d+ ← \d+ \(the command\): /m);
    expect(r.stdout).toMatch(/^ {2}\d+ ← \d+ \(the daemon\): .*\+\d+\.\d{3} execve\("\/bin\/sleep"\)/ms);
  });

  test.for(['umask-kept', 'leaked-fd', 'ignored-signal-kept'])('a defect daemon (%s): the failing rule cites the call that is missing', (name) => {
    const work = workDir();
    const paths = stepPaths(work);
    const defect = DEFECTS.find((d) => d.name === name)!;
    const r = cli([
      'check', '--json', '--trace', '--pidfile', paths.pidfile, '--stdout', paths.stdout, '--stderr', paths.stderr,
      '--ready-log', READY_TEXT, '--', ...stepsCommand(defect.steps(paths)),
    ]);
    expect(r.code, r.stderr + r.stdout).toBe(1);
    const report = JSON.parse(r.stdout) as CheckReport;
    expectStopped(report);
    const chain = chainTo(report.trace!, report.daemon!.pid).join(' → ');
    if (name === 'umask-kept') {
      expect(message(report, 'umask')).toMatch(/^umask \d{4} is the caller's .*; trace: no umask\(\) in pids /);
      expect(message(report, 'umask')).toContain(`no umask() in pids ${chain}`);
    } else if (name === 'ignored-signal-kept') {
      // The chain's last word on the signal: the launcher shell's child re-ignoring it before the exec, and nothing after.
      const ignored = message(report, 'signal-dispositions-default');
      expect(ignored).toMatch(/^still ignored from the caller: (SIG\w+).*; trace: rt_sigaction\(\1, SIG_IGN\) in pid \d+ at \+[\d.]+ ms$/);
    } else {
      const fds = report.caller.fds.map((f) => f.fd);
      for (const fd of fds) expect(message(report, 'no-leaked-fds')).toContain(`no close(${fd}), dup2() onto ${fd} or close_range() over it in pids ${chain}`);
    }
    // A rule that passed is not given a citation.
    expect(message(report, 'new-session')).not.toContain('trace:');
  });
});

describe('check --trace where it cannot trace', () => {
  test('without strace on PATH: one line naming the fix, exit 2, nothing started', () => {
    const work = workDir();
    const marker = join(work, 'started');
    const r = cli(['check', '--trace', '--', '/bin/sh', '-c', `touch ${marker}`], { ...process.env, PATH: join(work, 'empty') });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe('daemonspec: --trace: strace is not on PATH: install it (apt-get install strace) or run the check without --trace\n');
    expect(r.stdout).toBe('');
    expect(existsSync(marker)).toBe(false);
  });

  test('matrix --trace without strace: exit 2 before any check', () => {
    const work = workDir();
    const r = cli(['matrix', '--trace', '--fixtures', 'setsid-fork'], { ...process.env, PATH: join(work, 'empty') });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['daemonspec: --trace: strace is not on PATH: install it (apt-get install strace) or run the check without --trace']);
    expect(r.stdout).toBe('');
  });

  test('a strace that cannot trace (as in a container without CAP_SYS_PTRACE): exit 2 with its reason', () => {
    const work = workDir();
    const bin = join(work, 'bin');
    mkdirSync(bin);
    // An executable named strace that fails the way strace does when ptrace is refused.
    writeFileSync(join(bin, 'strace'), '#!/bin/sh\necho "strace: test_ptrace_get_syscall_info: PTRACE_TRACEME: Operation not permitted" >&2\nexit 1\n');
    chmodSync(join(bin, 'strace'), 0o755);
    const r = cli(['check', '--trace', '--', '/bin/true'], { ...process.env, PATH: `${bin}:/usr/bin:/bin` });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^daemonspec: --trace: ptrace is not permitted here \(.*strace: .*Operation not permitted\): give the container CAP_SYS_PTRACE/);
  });
});
