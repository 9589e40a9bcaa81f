/**
 * `check --lifecycle` end to end: real daemons started, restarted, stopped and killed by the
 * checker. lifecycle-daemon.py is a small classic daemon with one life-cycle defect per mode;
 * each defect must fail exactly its rule, and the correct one (and `daemonspec run`) all five.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { checkOnHost, LIFECYCLE_RULE_IDS, type CheckOptions, type CheckReport, type RuleId } from '../../src/check/index.js';
import '../../src/vitest/index.js';
import { CLI, runCli } from '../cli/run-cli.js';
import { expectClean, explain, failing, statuses, workDir } from './support.js';

const DAEMON = fileURLToPath(new URL('./lifecycle-daemon.py', import.meta.url));
const READY = 'lifecycle-daemon ready';

function setup(mode: string): { command: string[]; options: CheckOptions; pidfile: string } {
  const work = workDir();
  const pidfile = join(work, 'd.pid');
  const log = join(work, 'd.log');
  return {
    command: [DAEMON, mode, pidfile, log],
    options: { pidfile, stdout: log, stderr: log, readyLog: READY, lifecycle: true },
    pidfile,
  };
}

/** No process of lifecycle-daemon.py for this pidfile is left (second daemons included). */
function expectNoDaemonLeft(report: CheckReport, pidfile: string): void {
  expectClean(report);
  expect(existsSync(pidfile), `${pidfile} left behind`).toBe(false);
}

function lifecycleStatuses(report: CheckReport): Partial<Record<RuleId, string>> {
  const all = statuses(report);
  return Object.fromEntries(LIFECYCLE_RULE_IDS.map((id) => [id, all[id]]));
}

const ALL_PASS = Object.fromEntries(LIFECYCLE_RULE_IDS.map((id) => [id, 'pass']));

describe('check --lifecycle', () => {
  test('a correct daemon passes all five life-cycle rules and every start rule', async () => {
    const { command, options, pidfile } = setup('correct');
    const report = await checkOnHost(command, options);
    expect(failing(report), explain(report)).toEqual([]);
    expect(lifecycleStatuses(report)).toEqual(ALL_PASS);
    expect(report.results.map((r) => r.rule).slice(-5)).toEqual([...LIFECYCLE_RULE_IDS]);
    expect(report).toPassRule('stale-pidfile-recovered');
    expectNoDaemonLeft(report, pidfile);
  });

  test.each([
    ['runs-twice', 'second-start-refused'],
    ['keeps-pidfile', 'pidfile-removed'],
    ['trusts-stale', 'stale-pidfile-recovered'],
    ['refuses-empty', 'stale-pidfile-recovered'],
    ['partial-pidfile', 'pidfile-complete'],
  ] as const)('the defect %s fails exactly %s', async (mode, rule) => {
    const { command, options, pidfile } = setup(mode);
    const report = await checkOnHost(command, options);
    expect(failing(report), explain(report)).toEqual([rule]);
    expect(report).toFailRule(rule);
    expectNoDaemonLeft(report, pidfile);
  });

  test('runs-twice: the second daemon is named, and stopped by the checker', async () => {
    const { command, options, pidfile } = setup('runs-twice');
    const report = await checkOnHost(command, options);
    const result = report.results.find((r) => r.rule === 'second-start-refused')!;
    const second = (result.actual as { secondDaemons: number[] }).secondDaemons;
    expect(second).toHaveLength(1);
    expect(result.message).toMatch(/the second command exited 0.*a second daemon was left running/);
    expect(report.cleanup.stopped).toContain(second[0]);
    expectNoDaemonLeft(report, pidfile);
  });

  test('refuses-empty passes the SIGKILL case and fails only the 0-byte one', async () => {
    const { command, options, pidfile } = setup('refuses-empty');
    const report = await checkOnHost(command, options);
    const result = report.results.find((r) => r.rule === 'stale-pidfile-recovered')!;
    expect(result.actual).toEqual([
      { case: 'killed', exit: 'exited 0', newDaemon: expect.any(Number) },
      { case: 'empty', exit: 'exited 1', newDaemon: null },
    ]);
    expect(result.message).toMatch(/0-byte pidfile.*exited 1/);
    expect(result.message).toMatch(/is empty: not a pidfile/);
    expectNoDaemonLeft(report, pidfile);
  });

  test('--stop-command: start-stop-daemon --stop stops the daemon in place of SIGTERM', async () => {
    const { command, options, pidfile } = setup('correct');
    const stopCommand = `start-stop-daemon --stop --pidfile '${pidfile}' --retry 5`;
    const report = await checkOnHost(command, { ...options, stopCommand });
    expect(lifecycleStatuses(report), explain(report)).toEqual(ALL_PASS);
    const stop = report.results.find((r) => r.rule === 'stops-on-sigterm')!;
    expect(stop.message).toContain('the stop command `start-stop-daemon --stop');
    expect(stop.actual).toMatchObject({ stopCommandExit: 0, survivors: [] });
    expectNoDaemonLeft(report, pidfile);
  });

  test('a --stop-command that never returns is ended at --stop-timeout, with what it started (found by a probe: the check hung)', async () => {
    const { command, options, pidfile } = setup('correct');
    // sh runs sleep as its child: killing sh alone left sleep holding the output pipes.
    const report = await checkOnHost(command, { ...options, stopCommand: 'sleep 1000; true', stopTimeoutMs: 500 });
    expect(failing(report), explain(report)).toContain('stops-on-sigterm');
    // Ended by the deadline's SIGKILL: no exit status of its own.
    expect(report.results.find((r) => r.rule === 'stops-on-sigterm')!.actual).toMatchObject({ stopCommandExit: null });
    expectNoDaemonLeft(report, pidfile);
  }, 60_000);

  test('--stop-command with --remove-pidfile makes up for a daemon that keeps its pidfile', async () => {
    const { command, options, pidfile } = setup('keeps-pidfile');
    const stopCommand = `start-stop-daemon --stop --pidfile '${pidfile}' --remove-pidfile --retry 5`;
    const report = await checkOnHost(command, { ...options, stopCommand });
    expect(failing(report), explain(report)).toEqual([]);
    expectNoDaemonLeft(report, pidfile);
  });

  test('a daemonize() Node daemon passes all five under plain SIGTERM (it removes its pidfile, then dies of SIGTERM)', async () => {
    const work = workDir();
    const pidfile = join(work, 'node.pid');
    const log = join(work, 'node.log');
    const script = fileURLToPath(new URL('../../fixtures/node-daemonize/logs-then-ready.mjs', import.meta.url));
    const report = await checkOnHost([process.execPath, script, pidfile, log, log], {
      pidfile, stdout: log, stderr: log, readyLog: 'daemon ready', allowIgnored: ['SIGPIPE', 'SIGXFSZ'], lifecycle: true,
    });
    expect(failing(report), explain(report)).toEqual([]);
    expect(lifecycleStatuses(report)).toEqual(ALL_PASS);
    expectNoDaemonLeft(report, pidfile);
  });

  test('a stop command that does not stop the daemon fails stops-on-sigterm; pidfile-removed is not judged; the daemon is killed', async () => {
    const { command, options, pidfile } = setup('correct');
    const report = await checkOnHost(command, { ...options, stopCommand: 'true', stopTimeoutMs: 300 });
    expect(failing(report), explain(report)).toEqual(['stops-on-sigterm']);
    const stop = report.results.find((r) => r.rule === 'stops-on-sigterm')!;
    expect(stop.message).toMatch(/0\.3 s after the stop command `true`, the daemon \(pid \d+\) still ran/);
    expect(statuses(report)['pidfile-removed']).toBe('skip');
    expectNoDaemonLeft(report, pidfile);
  });
});

describe('daemonspec check --lifecycle (CLI)', () => {
  test('`daemonspec run` passes all five, stopped by `daemonspec stop`; text, JSON and JUnit name the rules', async () => {
    const work = workDir();
    const pidfile = join(work, 'sleep.pid');
    const junit = join(work, 'report.xml');
    const run = [CLI, 'run', '--pidfile', pidfile, '--', '/bin/sleep', '300'];
    const stop = `'${process.execPath}' '${CLI}' stop --pidfile '${pidfile}'`;
    const flags = ['--lifecycle', '--pidfile', pidfile, '--stop-command', stop];
    const text = await runCli(['check', ...flags, '--junit', junit, '--', process.execPath, ...run], {}, 60_000);
    expect(text.code, text.stdout + text.stderr).toBe(0);
    for (const id of LIFECYCLE_RULE_IDS) expect(text.stdout).toMatch(new RegExp(`✓ ${id} `));
    const xml = readFileSync(junit, 'utf8');
    for (const id of LIFECYCLE_RULE_IDS) expect(xml).toContain(`name="${id}: `);

    const json = await runCli(['check', '--json', ...flags, '--', process.execPath, ...run], {}, 60_000);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as CheckReport;
    expect(lifecycleStatuses(report)).toEqual(ALL_PASS);
    expectNoDaemonLeft(report, pidfile);
  });

  test('`daemonspec run` under plain SIGTERM leaves its pidfile: the program it execs cannot remove it', async () => {
    const work = workDir();
    const pidfile = join(work, 'sleep.pid');
    const r = await runCli(
      ['check', '--json', '--lifecycle', '--pidfile', pidfile, '--', process.execPath, CLI, 'run', '--pidfile', pidfile, '--', '/bin/sleep', '300'],
      {},
      60_000,
    );
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(failing(report), explain(report)).toEqual(['pidfile-removed']);
    expectNoDaemonLeft(report, pidfile);
  });

  test.each([
    [['--stop-command', 'true'], /--stop-command is used by the life-cycle rules: add --lifecycle/],
    [['--stop-timeout', '2s'], /--stop-timeout is used by the life-cycle rules: add --lifecycle/],
    [['--lifecycle'], /--lifecycle needs --pidfile FILE/],
  ])('refuses %j before anything starts (exit 2)', async (args, message) => {
    const work = workDir();
    const marker = join(work, 'started');
    const r = await runCli(['check', ...args, '--', '/bin/sh', '-c', `touch '${marker}'`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(marker)).toBe(false);
  });
});
