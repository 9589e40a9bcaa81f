import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { NEUTRAL_CALLER } from '../../src/check/caller-spec.js';
import type { CheckReport } from '../../src/check/report-types.js';
import type { FuzzReport } from '../../src/fuzz/index.js';
import { CONTAINER_LABEL } from '../../src/isolation/docker.js';
import { CONTAINER_ROOT } from '../../src/isolation/project.js';
import { isolationForCaller, subreaperChoices } from '../../src/isolation/subreaper.js';
import { replayLines } from '../../src/fuzz/replay.js';
import { CLI, runCli } from '../cli/run-cli.js';
import { failing, workDir } from '../check/support.js';
import { isolationGate } from '../isolation/support.js';
import { orphanWatchdogDaemonPy } from '../support/python-daemon.js';
import { runningScript } from './support.js';

// "A subreaper above the caller or not" (issue 11): on the host the checker is the daemon's
// subreaper; a caller without one runs as PID 1 of a fresh PID namespace, so the daemon is
// adopted by init, as on a system without systemd --user or docker --init.
const PYTHON = '/usr/bin/python3';
const namespace = await isolationGate('namespace');
const docker = await isolationGate('docker');

function watchdogScript(): string {
  const path = join(workDir(), 'watchdog.py');
  writeFileSync(path, orphanWatchdogDaemonPy());
  return path;
}

async function checkJson(args: readonly string[]): Promise<CheckReport> {
  const r = await runCli(['check', '--json', ...args]);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as CheckReport;
}

describe('the subreaper above the caller', () => {
  test('the isolations give: the host both (none through a PID namespace), docker-init only one, the others both with none first', () => {
    expect(subreaperChoices('host')).toEqual(namespace.run ? [true, false] : [true]);
    expect(subreaperChoices('docker-init')).toEqual([true]);
    expect(subreaperChoices('docker')).toEqual([false, true]);
    expect(subreaperChoices('namespace')).toEqual([false, true]);
    expect(isolationForCaller('host', { ...NEUTRAL_CALLER })).toBe('host');
    expect(isolationForCaller('host', undefined)).toBe('host');
    const replays = replayLines(['/bin/d', '{pidfile}'], { isolation: 'docker', image: 'img:1', pidfile: '{pidfile}' }, 7, '2', { ...NEUTRAL_CALLER, subreaper: false });
    expect(replays.replay).toBe("daemonspec fuzz --isolation docker --image img:1 --pidfile '{pidfile}' --seed 7 --path 2 -- /bin/d '{pidfile}'");
    expect(replays.checkReplay).toMatch(/ && daemonspec check --isolation docker --image img:1 --pidfile \S+ --caller-umask 022 --caller-no-subreaper -- \/bin\/d /);
    expect(() => isolationForCaller('docker-init', { ...NEUTRAL_CALLER, subreaper: false })).toThrow(/docker-init, whose checker sits under tini; use --isolation docker/);
  });

  test.each([
    [['check', '--isolation', 'docker-init', '--caller-no-subreaper', '--', '/bin/true'], /^daemonspec: a caller without a subreaper .* cannot run under docker-init/],
    [['check', '--caller-json', '{"subreaper":"no"}', '--', '/bin/true'], /^daemonspec: --caller-json: subreaper must be true or false$/],
    [['fuzz', '--isolation', 'nowhere', '--', '/bin/true'], /^daemonspec: --isolation: "nowhere" is not one of host, namespace, docker, docker-init/],
  ])('bad input %j exits 2 with one line', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(r.stdout).toBe('');
  });
});

describe.skipIf(!namespace.run)(`a caller without a subreaper: ${namespace.label}`, () => {
  test('a daemon that takes adoption by init for its parent\'s death runs under the checker and dies without a subreaper', async () => {
    const script = watchdogScript();
    const pidfile = join(workDir(), 'd.pid');
    const under = await checkJson(['--caller-umask', '000', '--pidfile', pidfile, '--', PYTHON, script, pidfile]);
    expect(under.isolation).toBe('host');
    expect(failing(under)).toEqual([]);
    expect(under.daemon!.ppid).toBe(process.pid === 1 ? 1 : under.chain!.checker!.pid);

    const without = await checkJson(['--caller-umask', '000', '--caller-no-subreaper', '--pidfile', pidfile, '--', PYTHON, script, pidfile]);
    expect(without.isolation).toBe('namespace');
    expect(without.caller.spec).toEqual({ ...NEUTRAL_CALLER, umask: 0, subreaper: false });
    expect(without.noDaemon?.reason).toMatch(/exited with status 1/);
    expect(failing(without)).toEqual(['launcher-exit', 'ready-before-exit']);
    expect(runningScript(script)).toEqual([]);
  }, 120_000);

  test('a well-made daemon is adopted by PID 1 when no subreaper is above its caller, and says so in text', async () => {
    const pidfile = join(workDir(), 'run.pid');
    const command = [process.execPath, CLI, 'run', '--pidfile', pidfile, '--', '/bin/sleep', '300'];
    const report = await checkJson(['--caller-umask', '000', '--caller-no-subreaper', '--pidfile', pidfile, '--', ...command]);
    expect(report.daemon!.ppid).toBe(1);
    expect(report.verdict).toBe('pass');
    const text = await runCli(['check', '--caller-umask', '000', '--caller-no-subreaper', '--pidfile', pidfile, '--', ...command]);
    expect(text.stdout).toContain('isolation namespace');
    expect(text.stdout).toContain('no subreaper above it (orphans go to PID 1)');
  }, 120_000);

  test('fuzz finds the caller without a subreaper and shrinks to it alone; the check replay plants it', async () => {
    const script = watchdogScript();
    const r = await runCli(['fuzz', '--json', '--runs', '8', '--jobs', '2', '--seed', '3', '--pidfile', '{pidfile}', '--', PYTHON, script, '{pidfile}'], {}, 600_000);
    expect(r.code, r.stderr).toBe(1);
    const found = (JSON.parse(r.stdout) as FuzzReport).counterexample!;
    expect(found.caller).toEqual({ ...NEUTRAL_CALLER, umask: 0o013, subreaper: false });
    expect(found.failing).toEqual(['no-daemon', 'launcher-exit', 'ready-before-exit']);
    expect(found.explanation).toMatch(/^with no subreaper above it \(orphans go to PID 1\) in the caller: no-daemon/);
    expect(found.checkReplay).toMatch(/ --caller-umask 013 --caller-no-subreaper -- /);
    expect(runningScript(script)).toEqual([]);
  }, 600_000);

  test('fuzz under --isolation namespace: the plain caller has no subreaper there, so what it breaks is no caller\'s doing', async () => {
    const script = watchdogScript();
    const r = await runCli(['fuzz', '--json', '--isolation', 'namespace', '--runs', '6', '--jobs', '2', '--seed', '4', '--pidfile', '{pidfile}', '--', PYTHON, script, '{pidfile}'], {}, 600_000);
    const report = JSON.parse(r.stdout) as FuzzReport;
    expect(report.baseline.caller.subreaper).toBe(false);
    expect(report.baseline.noDaemon).toMatch(/exited with status 1/);
    // From the plain caller it already fails: nothing new for a caller to break.
    expect(r.code, r.stderr).toBe(0);
    expect(runningScript(script)).toEqual([]);
  }, 600_000);
});

/** Check containers whose starting process (named in the container's name) is gone: left behind. */
function orphanedContainers(): string[] {
  const ps = spawnSync('docker', ['ps', '-a', '--filter', `label=${CONTAINER_LABEL}`, '--format', '{{.Names}}'], { encoding: 'utf8', timeout: 30_000 });
  return ps.stdout.split('\n').filter(Boolean).filter((name) => {
    const pid = Number(/^daemonspec-check-(\d+)-/.exec(name)?.[1]);
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  });
}

describe.skipIf(!docker.run)(`fuzz in containers: ${docker.label}`, () => {
  test('the project\'s own daemonizer survives random callers in containers, with and without a subreaper; no container is left', async () => {
    const inside = ['node', `${CONTAINER_ROOT}/bin/daemonspec.js`, 'run', '--pidfile', '{pidfile}', '--', '/bin/sleep', '300'];
    const r = await runCli(['fuzz', '--json', '--isolation', 'docker', '--runs', '4', '--jobs', '2', '--seed', '5', '--pidfile', '{pidfile}', '--', ...inside], {}, 600_000);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as FuzzReport;
    expect(report.verdict).toBe('pass');
    expect(report.baseline).toMatchObject({ failing: [], noDaemon: null, caller: { subreaper: false } });
    expect(report.trials.map((t) => t.failing)).toEqual([[], [], [], []]);
    expect(orphanedContainers()).toEqual([]);
  }, 600_000);
});
