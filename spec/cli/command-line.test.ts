import { spawn, type StdioOptions } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scene } from '../daemon/support.js';
import { CLI, runCli } from './run-cli.js';

/*
 * The command line: the command to run goes after `--`; parse errors are one line in the house
 * format with the fix; a closed stdout is no crash.
 */

describe('the -- before the command', () => {
  it('run without --, with an option-like word in the command: exit 2, "put the command after --", nothing started', async () => {
    const s = scene();
    const marker = s.path('started');
    const result = await runCli(['run', '/bin/sh', '-c', `: > ${marker}`], s.env);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe(`daemonspec: put the command after --: daemonspec run [options] -- /bin/sh -c : > ${marker} (without --, -c after /bin/sh is ambiguous)\n`);
    expect(existsSync(marker)).toBe(false);
  });

  it('run python3 -m http.server names -m, not as commander\'s unknown option', async () => {
    const result = await runCli(['run', 'python3', '-m', 'http.server']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^daemonspec: put the command after --: daemonspec run \[options\] -- python3 -m http\.server \(without --, -m after python3 is ambiguous\)\n$/);
  });

  it('check ./d.py --pidfile X does not take --pidfile as its own: it says so and where each belongs', async () => {
    const result = await runCli(['check', './d.py', '--pidfile', 'X']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "daemonspec: put the command after --: daemonspec check [options] -- ./d.py --pidfile X (without --, --pidfile after ./d.py is ambiguous; if --pidfile is daemonspec check's own, put it before the command)\n",
    );
    expect(result.stdout).toBe('');
  });

  it('after --, words with dashes belong to the command (run starts it; stop ends it)', async () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    const run = await runCli(['run', '--pidfile', pidfile, '--print-pid', '--', '/bin/sh', '-c', 'exec /bin/sleep 300', '--pidfile'], s.env);
    expect(run.code, run.stderr).toBe(0);
    expect(Number(run.stdout.trim())).toBeGreaterThan(1);
    const stop = await runCli(['stop', '--pidfile', pidfile], s.env);
    expect(stop.code, stop.stderr).toBe(0);
  });
});

describe('parse errors in the house format', () => {
  it.each([
    [['run', '--bogus', '--', '/bin/true'], "daemonspec: unknown option '--bogus': see daemonspec run --help"],
    [['run', '--pidfil', 'x', '--', '/bin/true'], "daemonspec: unknown option '--pidfil' (did you mean --pidfile?): see daemonspec run --help"],
    [['run'], "daemonspec: missing required argument 'command': give the command after --, e.g. daemonspec run -- /bin/sleep 60"],
    [['stop', '--pidfile'], "daemonspec: option '--pidfile <FILE>' argument missing: see daemonspec stop --help"],
    [['stop'], 'daemonspec: --pidfile is required: give it as --pidfile FILE'],
    [['runn'], "daemonspec: unknown command 'runn' (did you mean run?): see daemonspec --help"],
  ])('%j: one line with the fix, exit 2', async (args, line) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${line}\n`);
    expect(result.stdout).toBe('');
  });
});

/** Runs the CLI with its stdout a pipe whose reading end is already closed (as `| head -1` after one line). */
function runIntoClosedPipe(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a closed stdout', () => {
  it.each([['check', '--help'], ['--help'], ['--version']])('%j into a closed pipe: no EPIPE stack, exit 0', async (...args) => {
    const result = await runIntoClosedPipe(args.filter(Boolean));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

/** Runs the CLI with stdout or stderr on /dev/full, where every write fails with ENOSPC. */
function runIntoFullDevice(args: readonly string[], fd: 1 | 2, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const full = openSync('/dev/full', 'w');
    const stdio: StdioOptions = fd === 1 ? ['ignore', full, 'pipe'] : ['ignore', 'pipe', full];
    const child = spawn(process.execPath, [CLI, ...args], { stdio, env: { ...process.env, ...env } });
    closeSync(full);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('an output that cannot be written (a full disk)', () => {
  it('run --print-pid >/dev/full: the daemon started, exit 0, one line on stderr naming the lost output', async () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    const run = await runIntoFullDevice(['run', '--print-pid', '--pidfile', pidfile, '--', '/bin/sleep', '300'], 1, s.env);
    expect(run.stderr).toBe('daemonspec: could not write to stdout: ENOSPC (no space left on device); the exit status is the command\'s own\n');
    expect(run.code).toBe(0);
    const stop = await runCli(['stop', '--pidfile', pidfile], s.env);
    expect(stop.code, stop.stderr).toBe(0);
  });

  it('--help >/dev/full: exit 0 and the one line; stop --ok-if-stopped 2>/dev/full (its line lost) still exits 0', async () => {
    const help = await runIntoFullDevice(['--help'], 1);
    expect(help.stderr).toMatch(/^daemonspec: could not write to stdout: ENOSPC .*\n$/);
    expect(help.code).toBe(0);
    const s = scene();
    // It writes `not running: nothing to stop` to stderr, which fails.
    const stop = await runIntoFullDevice(['stop', '--ok-if-stopped', '--pidfile', s.path('none.pid')], 2, s.env);
    expect(stop.code, stop.stdout).toBe(0);
  });
});

describe('stop with nothing running', () => {
  it('exits 1 by default, 0 with --ok-if-stopped (saying so on stderr)', async () => {
    const s = scene();
    const pidfile = s.path('none.pid');
    expect((await runCli(['stop', '--pidfile', pidfile], s.env)).code).toBe(1);
    const ok = await runCli(['stop', '--ok-if-stopped', '--pidfile', pidfile], s.env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toBe(`daemonspec: not running: nothing to stop for ${pidfile}\n`);
  });
});
