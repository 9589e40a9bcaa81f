import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, lchownSync, lstatSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDir } from '../support/temp-dir.js';
import { CLI, runCli } from './run-cli.js';

/*
 * A report path in a shared directory (/tmp, a 1777 spool), where another user planted something
 * first (found by an adversarial probe):
 * - a symlink to a file of theirs choosing: `check --junit` and `matrix --markdown` wrote the
 *   report through it, over a root-owned file;
 * - a FIFO: `check --html` hung after the check, for good, and so did `merge --markdown`, which
 *   reads the document already there.
 * The report now replaces what stood at the path (a new file renamed over it), the document is
 * read back only from a regular file, and a symlink planted on the way to the report's directory
 * is refused.
 */
const NOBODY = 65534;

/** A sticky world-writable directory (as /tmp) with a root-owned file in it the neighbour must not reach. */
function sharedDir(): { dir: string; victim: string } {
  const dir = join(testDir('hostile-outputs-'), 'shared');
  mkdirSync(dir);
  chmodSync(dir, 0o1777);
  const victim = join(testDir('hostile-victim-'), 'victim');
  writeFileSync(victim, 'root only\n', { mode: 0o600 });
  return { dir, victim };
}

/** A symlink the neighbour (nobody) owns. */
function plantLink(target: string, path: string): void {
  symlinkSync(target, path);
  lchownSync(path, NOBODY, NOBODY);
}

describe.runIf(process.platform === 'linux' && process.getuid?.() === 0)('report files at paths a neighbour planted', () => {
  it('check --junit over a planted symlink writes a new report and leaves the link\'s target alone', async () => {
    const { dir, victim } = sharedDir();
    plantLink(victim, join(dir, 'report.xml'));
    const result = await runCli(['check', '--junit', join(dir, 'report.xml'), '--', '/bin/true']);
    expect(result.code, result.stderr).not.toBe(2);
    expect(readFileSync(victim, 'utf8')).toBe('root only\n');
    expect(lstatSync(join(dir, 'report.xml')).isFile()).toBe(true);
    expect(readFileSync(join(dir, 'report.xml'), 'utf8')).toMatch(/<testsuite/);
  });

  it('check --html over a planted FIFO ends, and the FIFO is replaced by the page', async () => {
    const { dir } = sharedDir();
    const path = join(dir, 'report.html');
    expect(spawnSync('mkfifo', ['-m', '666', path]).status).toBe(0);
    lchownSync(path, NOBODY, NOBODY);
    const result = await runCli(['check', '--html', path, '--', '/bin/true'], {}, 20_000);
    expect(result.code, result.stderr).not.toBeNull(); // null: killed at the timeout, still blocked
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readFileSync(path, 'utf8')).toMatch(/<html/i);
  });

  it('matrix --markdown over a planted symlink leaves its target alone', async () => {
    const { dir, victim } = sharedDir();
    plantLink(victim, join(dir, 'conformance.md'));
    const result = await runCli(['matrix', '--isolation', 'host', '--fixtures', 'setsid-fork', '--markdown', join(dir, 'conformance.md')], {}, 60_000);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('root only\n');
    expect(readFileSync(join(dir, 'conformance.md'), 'utf8')).toMatch(/^# Conformance matrix/m);
  });

  it('matrix --trace-markdown over a planted symlink to a root-only file does not copy that file into the report (a review)', async () => {
    const { dir, victim } = sharedDir();
    writeFileSync(victim, 'ROOT-ONLY-SECRET\n');
    plantLink(victim, join(dir, 'traces.md'));
    const result = await runCli(['matrix', '--isolation', 'host', '--fixtures', 'setsid-fork', '--trace', '--trace-markdown', join(dir, 'traces.md')], {}, 60_000);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'traces.md'), 'utf8')).not.toContain('ROOT-ONLY-SECRET');
    expect(readFileSync(victim, 'utf8')).toBe('ROOT-ONLY-SECRET\n');
  });

  it('a report directory reached through a neighbour\'s symlink in the shared directory is refused before anything runs', async () => {
    const { dir } = sharedDir();
    const elsewhere = testDir('hostile-elsewhere-');
    plantLink(elsewhere, join(dir, 'reports'));
    const result = await runCli(['check', '--junit', join(dir, 'reports', 'daemon.xml'), '--', '/bin/true']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `daemonspec: --junit: refusing ${join(dir, 'reports', 'daemon.xml')}: the symlink ${join(dir, 'reports')} on its way is owned by uid ${NOBODY} in the sticky world-writable directory ${dir}, and could lead the report anywhere: remove the link, or give a path in a directory only you can write\n`,
    );
    expect(result.stdout).toBe('');
  });
});

describe.runIf(process.platform === 'linux' && process.getuid?.() === 0)('merge over a planted FIFO at --markdown', () => {
  it('does not block reading it back: the FIFO is replaced by the document', async () => {
    const { dir } = sharedDir();
    const path = join(dir, 'conformance.md');
    expect(spawnSync('mkfifo', [path]).status).toBe(0);
    lchownSync(path, NOBODY, NOBODY);
    const shard = await runCli(['matrix', '--isolation', 'host', '--fixtures', 'setsid-fork', '--json'], {}, 60_000);
    expect(shard.code, shard.stderr).toBe(0);
    writeFileSync(join(dir, 'shard.json'), shard.stdout);
    const result = await runCli(['merge', '--markdown', path, join(dir, 'shard.json')], {}, 20_000);
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readFileSync(path, 'utf8')).toMatch(/^# Conformance matrix/m);
  });
});

/*
 * What is the caller's own and no regular file is written through, as a shell's `>` does: the
 * report replaced /dev/null with a regular file and a link to /dev/stdout with one, printing
 * nothing (a review).
 */
describe.runIf(process.platform === 'linux')("report paths of the caller's own that are no regular file", () => {
  it('a symlink to stdout: the report goes to stdout, and the link stays', () => {
    const dir = testDir('outputs-stdout-');
    symlinkSync('/proc/self/fd/1', join(dir, 'out.xml'));
    // stdout on a file, opened for appending as a shell's >> does (a Node child's pipe is a socket, which /proc/self/fd cannot open)
    const out = openSync(join(dir, 'stdout.txt'), 'a');
    const result = spawnSync(process.execPath, [CLI, 'check', '--junit', join(dir, 'out.xml'), '--', '/bin/true'], { stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
    closeSync(out);
    expect(result.stderr).toBe('');
    expect(readFileSync(join(dir, 'stdout.txt'), 'utf8')).toMatch(/<testsuite/);
    expect(lstatSync(join(dir, 'out.xml')).isSymbolicLink()).toBe(true);
  });

  it('a FIFO of the caller, read by them: the report goes through it', async () => {
    const dir = testDir('outputs-fifo-');
    const fifo = join(dir, 'report.xml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = runCli(['check', '--junit', fifo, '--', '/bin/true']);
    const read = spawnSync('cat', [fifo], { encoding: 'utf8', timeout: 30_000 });
    expect((await reader).code).not.toBeNull();
    expect(read.stdout).toMatch(/<testsuite/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});
