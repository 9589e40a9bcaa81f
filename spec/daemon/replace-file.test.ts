import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceFile } from '../../src/replace-file.js';
import { testDir } from '../support/temp-dir.js';

/*
 * A file put at a path in a shared directory (a report, the checker's own stale pidfile) is made
 * anew and renamed into place. Writing it by path followed a symlink planted there by another
 * user (a root-owned file was truncated, then chowned to the neighbour by `check --lifecycle`) and
 * blocked for good on a FIFO (`check --html` on a planted FIFO never ended): found by a probe.
 */
describe('replaceFile', () => {
  it('replaces a symlink planted at the path and leaves its target as it was', () => {
    const dir = testDir('replace-link-');
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'root only\n', { mode: 0o600 });
    symlinkSync(victim, join(dir, 'report.xml'));
    replaceFile(join(dir, 'report.xml'), '<testsuite/>\n', { owner: { uid: 65534, gid: 65534 }, mode: 0o644 });
    expect(readFileSync(victim, 'utf8')).toBe('root only\n');
    expect(lstatSync(victim)).toMatchObject({ uid: process.getuid!(), mode: 0o100600 });
    const made = lstatSync(join(dir, 'report.xml'));
    expect(made.isFile()).toBe(true);
    expect(readFileSync(join(dir, 'report.xml'), 'utf8')).toBe('<testsuite/>\n');
    if (process.getuid!() === 0) expect(made).toMatchObject({ uid: 65534, gid: 65534, mode: 0o100644 });
  });

  it.runIf(process.platform === 'linux')('replaces a FIFO planted at the path without blocking on it', () => {
    const dir = testDir('replace-fifo-');
    const path = join(dir, 'report.html');
    expect(spawnSync('mkfifo', [path]).status).toBe(0);
    replaceFile(path, '<html></html>\n');
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('<html></html>\n');
  });

  it('sets the mode it is given whatever the umask, and leaves no temporary file', () => {
    const dir = testDir('replace-mode-');
    const old = process.umask(0o077);
    try {
      replaceFile(join(dir, 'empty.pid'), '', { mode: 0o664 });
    } finally {
      process.umask(old);
    }
    expect(lstatSync(join(dir, 'empty.pid')).mode & 0o777).toBe(0o664);
    expect(readdirSync(dir)).toEqual(['empty.pid']);
  });

  it('fails on a directory at the path, leaving the directory and no temporary file', () => {
    const dir = testDir('replace-dir-');
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'inside'), 'x');
    expect(() => replaceFile(join(dir, 'taken'), 'y')).toThrow(expect.objectContaining({ code: 'EISDIR' }));
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readFileSync(join(dir, 'taken', 'inside'), 'utf8')).toBe('x');
  });

  it('takes a name of 250 bytes (its temporary name still fits NAME_MAX: a review)', () => {
    const dir = testDir('replace-long-');
    const path = join(dir, 'r'.repeat(250));
    replaceFile(path, 'long\n');
    expect(readFileSync(path, 'utf8')).toBe('long\n');
    expect(readdirSync(dir)).toEqual(['r'.repeat(250)]);
  });
});
