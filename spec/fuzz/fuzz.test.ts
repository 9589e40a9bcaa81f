import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { callerArbitrary, callerAt, type FuzzReport } from '../../src/fuzz/index.js';
import { NEUTRAL_CALLER } from '../../src/check/caller-spec.js';
import type { CheckReport } from '../../src/check/report-types.js';
import { CLI, runCli } from '../cli/run-cli.js';
import { expectClean, failing, workDir } from '../check/support.js';
import { doubleForkDaemonPy } from '../support/python-daemon.js';
import { waitFor } from '../support/wait.mjs';
import { runningScript } from './support.js';

// Runs the built CLI (dist/: `npm run build` first). Few runs, two jobs: this machine is small.
const PYTHON = '/usr/bin/python3';

/** The bounded-close daemon; with `closesNullAlways` it also closes its /dev/null fd even when open() gave it fd 0. */
function daemonScript(dir: string, closesNullAlways = false): string {
  const path = join(dir, closesNullAlways ? 'stdio.py' : 'bounded.py');
  writeFileSync(path, doubleForkDaemonPy({ closeNull: closesNullAlways ? 'always' : 'above-2', closeBelow: 1024 }));
  return path;
}

function oneLine(stderr: string): string[] {
  return stderr.trim().split('\n');
}

describe('daemonspec fuzz', () => {
  test('finds a daemon that closes fds below 1024 only and shrinks to the smallest caller: one pipe at fd 1024; --seed/--path replays it exactly', async () => {
    const script = daemonScript(workDir());
    const r = await runCli(['fuzz', '--json', '--runs', '30', '--jobs', '2', '--seed', '2', '--pidfile', '{pidfile}', '--', PYTHON, script, '{pidfile}'], {}, 600_000);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as FuzzReport;
    expect(report.seed).toBe(2);
    expect(report.runs).toBeGreaterThan(1);
    expect(report.baseline.failing).toEqual([]);
    const found = report.counterexample!;
    expect(found.caller).toEqual({ ...NEUTRAL_CALLER, umask: 0o013, fds: [{ fd: 1024, kind: 'pipe', cloexec: false }] });
    expect(found.failing).toEqual(['no-leaked-fds']);
    expect(found.explanation).toMatch(/^with fd 1024 open on a pipe in the caller: no-leaked-fds\n/);
    expect(found.replay).toBe(`daemonspec fuzz --pidfile '{pidfile}' --seed 2 --path ${found.path} -- ${PYTHON} ${script} '{pidfile}'`);
    expectClean(found.report as unknown as CheckReport);
    expect(runningScript(script)).toEqual([]);

    // The replay by seed and path runs exactly that caller, once, without searching; --html draws it.
    const html = join(workDir(), 'reports', 'fuzz.html');
    const again = await runCli(['fuzz', '--json', '--html', html, '--seed', '2', '--path', found.path, '--pidfile', '{pidfile}', '--', PYTHON, script, '{pidfile}'], {}, 120_000);
    const replayed = JSON.parse(again.stdout) as FuzzReport;
    expect(again.code).toBe(1);
    expect(replayed.runs).toBe(1);
    expect(replayed.counterexample!.caller).toEqual(found.caller);
    expect(replayed.counterexample!.failing).toEqual(['no-leaked-fds']);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<title>daemonspec fuzz: ✗ FAIL · python3</title>');
    expect(page).toContain('<p>with fd 1024 open on a pipe in the caller: no-leaked-fds</p>');
    expect(page).toContain(`<pre><code>daemonspec fuzz --pidfile &#39;{pidfile}&#39; --seed 2 --path ${found.path} -- ${PYTHON} ${script} &#39;{pidfile}&#39;</code></pre>`);
    expect(page.match(/<table class="runs">.*?<\/table>/s)![0].match(/<tr><td>/g)).toHaveLength(1);
    expect(page).toContain('<svg class="tree"'); // the counterexample's check, drawn as check --html draws it
    expect(page).toContain('data-rule="no-leaked-fds"');

    // And as a plain check: the printed line (with the caller as --caller-* flags), and the caller inline as JSON.
    const replayDir = join(tmpdir(), 'daemonspec-replay-2');
    expect(found.checkReplay).toBe(`mkdir -p ${replayDir} && daemonspec check --pidfile ${replayDir}/daemon.pid --caller-fds 1024=pipe --caller-umask 013 -- ${PYTHON} ${script} ${replayDir}/daemon.pid`);
    const pidfile = join(workDir(), 'p');
    for (const caller of [['--caller-fds', '1024=pipe', '--caller-umask', '013'], ['--caller-json', JSON.stringify(found.caller)]]) {
      const check = await runCli(['check', '--json', ...caller, '--pidfile', pidfile, '--', PYTHON, script, pidfile]);
      const checked = JSON.parse(check.stdout) as CheckReport;
      expect(failing(checked)).toEqual(['no-leaked-fds']);
      expect(checked.caller.spec).toEqual(found.caller);
      expectClean(checked);
    }
  }, 900_000);

  test('an interrupted fuzz (SIGINT) exits 130 and leaves nothing of its runs running', async () => {
    const script = daemonScript(workDir());
    const child = spawn(process.execPath, [CLI, 'fuzz', '--runs', '50', '--jobs', '2', '--seed', '4', '--pidfile', '{pidfile}', '--', PYTHON, script, '{pidfile}'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait (polling a condition, bounded) until a daemon of some run is up, then interrupt.
    const dirsOfRuns = (): string[] =>
      runningScript(script).flatMap((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a.endsWith('/daemon.pid')).map((a) => dirname(a));
        } catch {
          return [];
        }
      });
    const runDirs = await waitFor('a daemon of some run', () => {
      const dirs = dirsOfRuns();
      return dirs.length > 0 && dirs;
    }, { timeoutMs: 30_000, intervalMs: 50 });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/^daemonspec: fuzz interrupted by SIGINT; stopped \d+ process/m);
    expect(runningScript(script)).toEqual([]);
    // The run directories of the daemons seen are gone too (each holds the pidfile its daemon was given).
    expect(runDirs.filter((dir) => existsSync(dir))).toEqual([]);
  }, 120_000);

  test('without --jobs, twice the CPUs (at most 16) run at a time (a check mostly waits: src/check/default-jobs.ts)', async () => {
    const r = await runCli(['fuzz', '--json', '--runs', '1', '--seed', '5', '--pidfile', '{pidfile}', '--', process.execPath, CLI, 'run', '--pidfile', '{pidfile}', '--', '/bin/sleep', '300'], {}, 120_000);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as FuzzReport).jobs).toBe(Math.min(2 * availableParallelism(), 16));
  }, 120_000);

  test('a path names one caller of a seed: the same every time, without running anything', () => {
    const arbitrary = callerArbitrary({ maxFd: 4000, maxNofile: 8000, expectedUmask: 0o022, subreaper: [true, false] });
    const a = callerAt(arbitrary, 99, '3');
    expect(callerAt(arbitrary, 99, '3')).toEqual(a);
    expect(callerAt(arbitrary, 99, '4')).not.toEqual(a);
    expect(a.umask).not.toBe(0o022);
  });

  test('the project\'s own daemonizer survives a few random callers (text and JUnit)', async () => {
    const dir = workDir();
    const junit = join(dir, 'reports', 'fuzz.xml');
    const r = await runCli(
      ['fuzz', '--runs', '4', '--jobs', '2', '--seed', '11', '--junit', junit, '--html', join(dir, 'fuzz.html'), '--pidfile', '{pidfile}', '--', process.execPath, CLI, 'run', '--pidfile', '{pidfile}', '--', '/bin/sleep', '300'],
      {},
      300_000,
    );
    expect(r.stdout, r.stderr).toMatch(/^PASS no caller of 4 broke the daemon/m);
    expect(r.stdout).toContain('seed 11; 4 runs, 2 at a time; the plain caller passes');
    expect(r.code).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).not.toContain('<failure');
    const page = readFileSync(join(dir, 'fuzz.html'), 'utf8');
    expect(page).toContain('<h2>No caller broke the daemon</h2>');
    expect(page).toContain('<p class="summary">4 runs: no caller broke the daemon.</p>');
    const runs = page.match(/<table class="runs">.*?<\/table>/s)![0];
    expect(runs.match(/<tr><td>/g)).toHaveLength(4);
    expect(runs).not.toMatch(/<td>search<\/td><td>[^<]*<\/td><td>(?!passed)/);
  }, 300_000);

  test('a daemon that sets umask 0 and ignores SIGHUP and SIGPIPE itself (as nginx, a server) is not blamed for them: no counterexample, a clean baseline', async () => {
    // daemonspec run makes it (every rule passes); the program then chooses its own umask and dispositions.
    const program = "umask 0; $SIG{HUP} = 'IGNORE'; $SIG{PIPE} = 'IGNORE'; sleep 300;";
    const r = await runCli(['fuzz', '--json', '--runs', '12', '--jobs', '2', '--seed', '5', '--pidfile', '{pidfile}', '--', process.execPath, CLI, 'run', '--pidfile', '{pidfile}', '--', 'perl', '-e', program], {}, 600_000);
    const report = JSON.parse(r.stdout) as FuzzReport;
    expect(report.baseline.failing).toEqual([]);
    expect(report.counterexample, JSON.stringify(report.counterexample?.caller)).toBeNull();
    expect(r.code, r.stderr).toBe(0);
    // The search drew SIGHUP or SIGPIPE ignored (they come first in the draw) and did not count them.
    expect(report.trials.some((t) => /SIGHUP|SIGPIPE/.test(t.words))).toBe(true);
  }, 300_000);

  test('a caller planted by hand: fd 0 closed breaks a daemon that closes its /dev/null fd even when it got fd 0', async () => {
    const dir = workDir();
    const script = daemonScript(dir, true);
    const run = async (caller: object): Promise<CheckReport> => {
      const pidfile = join(dir, 'd.pid');
      const r = await runCli(['check', '--json', '--caller-json', JSON.stringify(caller), '--pidfile', pidfile, '--', PYTHON, script, pidfile]);
      return JSON.parse(r.stdout) as CheckReport;
    };
    const plain = await run({ umask: 0 });
    expect(failing(plain)).toEqual([]);
    const closed = await run({ umask: 0, stdio: ['closed', 'tty', 'tty'] });
    expect(failing(closed)).toEqual(['stdin-devnull']);
    expect(closed.results.find((x) => x.rule === 'stdin-devnull')!.message).toMatch(/closed/);
    expectClean(closed);
  }, 120_000);

  test('an eventfd is recognised by its id, not its number: leaked by sleep, not confused with the eventfd Node opens at the same number', async () => {
    const dir = workDir();
    const leaks = await runCli(['check', '--json', '--caller-fds', '14=eventfd', '--caller-umask', '000', '--', '/bin/sh', '-c', 'exec </dev/null >/dev/null 2>&1; /bin/sleep 60 & exit 0']);
    const leaked = JSON.parse(leaks.stdout) as CheckReport;
    expect(leaked.results.find((r) => r.rule === 'no-leaked-fds')!.actual).toEqual(['fd 14 → anon_inode:[eventfd]']);
    expectClean(leaked);
    // daemonize() starts a fresh Node whose libuv opens its own eventfds at the lowest free numbers.
    const [pidfile, out, err] = ['p', 'o', 'e'].map((n) => join(dir, n)) as [string, string, string];
    const script = join(process.cwd(), 'fixtures/node-daemonize/logs-then-ready.mjs');
    const own = await runCli(['check', '--json', '--caller-fds', '14=eventfd', '--caller-umask', '000', '--pidfile', pidfile, '--', process.execPath, script, pidfile, out, err]);
    const report = JSON.parse(own.stdout) as CheckReport;
    expect(report.daemon!.fds!.some((fd) => fd.target === 'anon_inode:[eventfd]')).toBe(true);
    expect(report.results.find((r) => r.rule === 'no-leaked-fds')!.status).toBe('pass');
    expectClean(report);
  }, 120_000);

  test.each([
    [['fuzz', '--runs', '0', '--', '/bin/true'], /^daemonspec: --runs: "0" is not a positive integer/],
    [['fuzz', '--path', '1:0', '--', '/bin/true'], /^daemonspec: path \(--path\) needs the seed \(--seed\) it was found with/],
    [['fuzz', '--seed', 'abc', '--', '/bin/true'], /^daemonspec: --seed: "abc" is not a fuzz seed/],
    [['fuzz', '--seed', '1', '--path', 'x', '--', '/bin/true'], /^daemonspec: path \(--path\): "x" is not a fast-check path/],
    [['fuzz', '--caller-json', '{}', '--', '/bin/true'], /^daemonspec: .*--caller-json/],
    [['fuzz', '--ignore-rules', 'cwd,nope', '--', '/bin/true'], /^daemonspec: ignoreRules \(--ignore-rules\): unknown rule "nope"/],
    [['check', '--caller-json', '{"stdio":["tty"]}', '--', '/bin/true'], /^daemonspec: --caller-json: stdio must be an array of three kinds/],
    [['check', '--caller-json', '{"fds":[{"fd":1,"kind":"pipe","cloexec":false}]}', '--', '/bin/true'], /^daemonspec: --caller-json: fds\[0\]\.fd must be an integer from 3/],
    [['check', '--caller-stdio', '3=closed', '--', '/bin/true'], /^daemonspec: --caller-stdio: "3=closed" is not FD=KIND/],
    [['check', '--caller-ignore', 'SIGNOPE', '--', '/bin/true'], /^daemonspec: --caller-ignore: "SIGNOPE" is not a signal/],
    [['check', '--caller-block', 'SIGKILL', '--', '/bin/true'], /^daemonspec: the caller \(--caller-json and --caller-\* flags\): blocked\[0\]: SIGKILL cannot be blocked/],
  ])('bad input %j exits 2 with one line', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(message)]);
    expect(r.stdout).toBe('');
  });
});
