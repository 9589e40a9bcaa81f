import { spawnSync } from 'node:child_process';
import { chmodSync, lchownSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDir } from '../support/temp-dir.js';
import { runCli } from './run-cli.js';

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

describe.runIf(process.platform === 'linux')('merge over a FIFO at --markdown', () => {
  it('does not block reading it back: the FIFO is replaced by the document', async () => {
    const dir = testDir('hostile-merge-');
    const path = join(dir, 'conformance.md');
    expect(spawnSync('mkfifo', [path]).status).toBe(0);
    const shard = await runCli(['matrix', '--isolation', 'host', '--fixtures', 'setsid-fork', '--json'], {}, 60_000);
    expect(shard.code, shard.stderr).toBe(0);
    writeFileSync(join(dir, 'shard.json'), shard.stdout);
    const result = await runCli(['merge', '--markdown', path, join(dir, 'shard.json')], {}, 20_000);
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readFileSync(path, 'utf8')).toMatch(/^# Conformance matrix/m);
  });
});
