import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testDir } from '../support/temp-dir.js';

/*
 * Issue 14.1: the CLI is CommonJS and its code is compiled with the V8 code cache the build wrote
 * (src/cli/launcher.ts, scripts/code-cache.mjs). V8 checks a cache against its version, its flags
 * and the source's length: a cache that does not fit is rejected and the code compiled as if there
 * were none. The cache's first line adds what V8 does not check (src/cli/code-cache-file.ts).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

/** What loadCli() says of the cache in a fresh node, for the bundle in `dir`: 'false' (accepted), 'true' (rejected), 'undefined' (none). */
function cacheVerdict(dir: string): string {
  const code = `const { script } = require(${JSON.stringify(join(dir, 'cli.cjs'))}).loadCli(${JSON.stringify(dir)});
process.stdout.write(String(script.cachedDataRejected));`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** A copy of the package's CLI (bin/, dist/bundle/, package.json) that uses this checkout's node_modules. */
function packageCopy(dir: string): string {
  const copy = join(dir, 'package');
  mkdirSync(copy);
  // The times are kept, as npm's install and Docker's COPY keep them (a cache is not used for code newer than it).
  for (const part of ['package.json', 'bin', 'dist/bundle']) cpSync(join(root, part), join(copy, part), { recursive: true, preserveTimestamps: true });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

/** SIGKILLs the daemon a pidfile names, if it is there. */
function stopDaemonIn(pidfile: string): void {
  if (!existsSync(pidfile)) return;
  try {
    process.kill(Number(readFileSync(pidfile, 'utf8')), 'SIGKILL');
  } catch {
    // gone already
  }
}

/** `daemonspec run --pidfile P -- /bin/sleep 60` from the CLI under `pkg`: its exit status and stderr. */
function plainRun(pkg: string, pidfile: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [join(pkg, 'bin/daemonspec.js'), 'run', '--pidfile', pidfile, '--', '/bin/sleep', '60'], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stderr: r.stderr };
}

describe("the CLI's code cache", () => {
  it("is the build's, and this Node accepts it", () => {
    expect(existsSync(join(root, 'dist/bundle/cli-run.cjs.v8-cache'))).toBe(true);
    expect(cacheVerdict(join(root, 'dist/bundle'))).toBe('false');
  });

  it('is rejected when it does not fit the code, and the CLI runs all the same', () => {
    const dir = testDir('code-cache-', () => stopDaemonIn(pidfile));
    const pidfile = join(dir, 'd.pid');
    const pkg = packageCopy(dir);
    const bundle = join(pkg, 'dist/bundle');
    writeFileSync(join(bundle, 'cli-run.cjs.v8-cache'), readFileSync(join(bundle, 'cli-run.cjs.v8-cache')).subarray(0, 4096));
    expect(cacheVerdict(bundle)).toBe('true');
    const run = plainRun(pkg, pidfile);
    expect(run, run.stderr).toMatchObject({ status: 0, stderr: '' });
    expect(Number(readFileSync(pidfile, 'utf8'))).toBeGreaterThan(1);
  });

  it('is not used for code edited after it, even to the same length: the CLI runs the edited code', () => {
    const dir = testDir('code-cache-');
    const pkg = packageCopy(dir);
    const code = join(pkg, 'dist/bundle/cli-run.cjs');
    const before = readFileSync(code, 'utf8');
    const after = before.replace('does not exist: create', 'DOES NOT EXIST: CREATE');
    expect(after).not.toBe(before);
    expect(after.length).toBe(before.length);
    writeFileSync(code, after);
    expect(cacheVerdict(join(pkg, 'dist/bundle'))).toBe('undefined');
    const pidfile = join(dir, 'no-such-dir', 'd.pid');
    const r = spawnSync(process.execPath, [join(pkg, 'bin/daemonspec.js'), 'run', '--pidfile', pidfile, '--', '/bin/true'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('DOES NOT EXIST: CREATE');
  });

  it('is not used by another Node than the one it was made by', () => {
    const dir = testDir('code-cache-');
    const bundle = join(packageCopy(dir), 'dist/bundle');
    const cache = join(bundle, 'cli-run.cjs.v8-cache');
    const { mtime } = statSync(cache);
    writeFileSync(cache, readFileSync(cache, 'latin1').replace(`${process.version} `, 'v0.0.0 '), 'latin1');
    utimesSync(cache, mtime, mtime);
    expect(cacheVerdict(bundle)).toBe('undefined');
  });

  it("accepted in a copy installed elsewhere: the CLI's stack traces name the copy's files, not the build's", () => {
    const dir = testDir('code-cache-');
    const bundle = join(packageCopy(dir), 'dist/bundle');
    expect(cacheVerdict(bundle)).toBe('false');
    const code = `const bundle = ${JSON.stringify(bundle)};
require(bundle + '/cli.cjs').runCli(['node', 'daemonspec', '--version']).then(() => {
  try { require.cache[bundle + '/cli-run.cjs'].exports.octalMask('zz'); } catch (error) { process.stderr.write(error.stack); }
});`;
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^DaemonspecError: .*\n    at usageError \(.*cli-run\.cjs:\d+:\d+\)\n/);
    expect(r.stderr).toContain(`${bundle}/cli-run.cjs:`);
    expect(r.stderr).not.toContain(`${root}dist/`);
  });

  it('may be missing (a build that could not make one): the CLI runs without it', () => {
    const dir = testDir('code-cache-', () => stopDaemonIn(pidfile));
    const pidfile = join(dir, 'd.pid');
    const pkg = packageCopy(dir);
    rmSync(join(pkg, 'dist/bundle/cli-run.cjs.v8-cache'));
    expect(cacheVerdict(join(pkg, 'dist/bundle'))).toBe('undefined');
    const run = plainRun(pkg, pidfile);
    expect(run, run.stderr).toMatchObject({ status: 0, stderr: '' });
  });
});
