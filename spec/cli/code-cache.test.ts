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

/** What loadCli() says of the cache in a fresh node, for the bundle in `dir`: 'false' (V8 took it), 'true' (V8 rejected it), 'undefined' (none given to V8). */
function cacheVerdict(dir: string, nodeFlags: readonly string[] = []): string {
  const code = `const { script } = require(${JSON.stringify(join(dir, 'cli.cjs'))}).loadCli(${JSON.stringify(dir)});
process.stdout.write(String(script.cachedDataRejected));`;
  const r = spawnSync(process.execPath, [...nodeFlags, '-e', code], { encoding: 'utf8', timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** A copy of the package's CLI (bin/, dist/bundle/, package.json) that uses this checkout's node_modules. */
function packageCopy(dir: string): string {
  const copy = join(dir, 'package');
  mkdirSync(copy);
  // A plain copy, file times not kept: they play no part in whether the cache is used.
  for (const part of ['package.json', 'bin', 'dist/bundle']) cpSync(join(root, part), join(copy, part), { recursive: true });
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

  it('is not used when it was cut short, and the CLI runs all the same', () => {
    const dir = testDir('code-cache-', () => stopDaemonIn(pidfile));
    const pidfile = join(dir, 'd.pid');
    const pkg = packageCopy(dir);
    const bundle = join(pkg, 'dist/bundle');
    writeFileSync(join(bundle, 'cli-run.cjs.v8-cache'), readFileSync(join(bundle, 'cli-run.cjs.v8-cache')).subarray(0, 4096));
    expect(cacheVerdict(bundle)).toBe('undefined');
    const run = plainRun(pkg, pidfile);
    expect(run, run.stderr).toMatchObject({ status: 0, stderr: '' });
    expect(Number(readFileSync(pidfile, 'utf8'))).toBeGreaterThan(1);
  });

  it('is not used for code edited after it, even to the same length and with the same file time: the CLI runs the edited code', () => {
    const dir = testDir('code-cache-');
    const pkg = packageCopy(dir);
    const code = join(pkg, 'dist/bundle/cli-run.cjs');
    const before = readFileSync(code, 'utf8');
    const after = before.replace('does not exist: create', 'DOES NOT EXIST: CREATE');
    expect(after).not.toBe(before);
    expect(after.length).toBe(before.length);
    writeFileSync(code, after);
    // An edit in the clock tick of the build: both files have one time (as npm's install gives them).
    const { atime, mtime } = statSync(join(pkg, 'dist/bundle/cli-run.cjs.v8-cache'));
    utimesSync(code, atime, mtime);
    expect(cacheVerdict(join(pkg, 'dist/bundle'))).toBe('undefined');
    const pidfile = join(dir, 'no-such-dir', 'd.pid');
    const r = spawnSync(process.execPath, [join(pkg, 'bin/daemonspec.js'), 'run', '--pidfile', pidfile, '--', '/bin/true'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('DOES NOT EXIST: CREATE');
  });

  it('is rejected by V8 under other V8 flags (NODE_OPTIONS=--max-semi-space-size=32), and the CLI runs all the same', () => {
    expect(cacheVerdict(join(root, 'dist/bundle'), ['--max-semi-space-size=32'])).toBe('true');
    const r = spawnSync(process.execPath, [join(root, 'bin/daemonspec.js'), '--version'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NODE_OPTIONS: '--max-semi-space-size=32' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('is not used by another Node than the one it was made by', () => {
    const dir = testDir('code-cache-');
    const bundle = join(packageCopy(dir), 'dist/bundle');
    const cache = join(bundle, 'cli-run.cjs.v8-cache');
    writeFileSync(cache, readFileSync(cache, 'latin1').replace(`${process.version} `, 'v0.0.0 '), 'latin1');
    expect(cacheVerdict(bundle)).toBe('undefined');
  });

  it('made under a path that is not Latin-1 (上海): its first line holds the path whole, and the cache is used', () => {
    const dir = join(testDir('code-cache-'), '上海');
    mkdirSync(dir);
    const pkg = packageCopy(dir);
    cpSync(join(root, 'scripts/code-cache.mjs'), join(pkg, 'scripts/code-cache.mjs'));
    const build = spawnSync(process.execPath, [join(pkg, 'scripts/code-cache.mjs')], { encoding: 'utf8', timeout: 60_000 });
    expect(build.status, build.stderr).toBe(0);
    const bundle = join(pkg, 'dist/bundle');
    expect(cacheVerdict(bundle)).toBe('false');
    const first = readFileSync(join(bundle, 'cli-run.cjs.v8-cache'), 'utf8').split('\n')[0]!;
    expect(first.endsWith(` ${JSON.stringify(join(bundle, 'cli-run.cjs'))}`)).toBe(true);
  });

  it("keeps a stack-trace formatter the program installed (NODE_OPTIONS' --require): it formats the CLI's stacks, which name the copy's files", () => {
    const dir = testDir('code-cache-');
    const bundle = join(packageCopy(dir), 'dist/bundle');
    const formatter = join(dir, 'formatter.cjs');
    writeFileSync(formatter, "Error.prepareStackTrace = (error, frames) => 'mine: ' + error.message + frames.map((frame) => ' @ ' + frame.getFileName()).join('');");
    const code = `const bundle = ${JSON.stringify(bundle)};
require(bundle + '/cli.cjs').runCli(['node', 'daemonspec', '--version']).then(() => {
  try { require.cache[bundle + '/cli-run.cjs'].exports.octalMask('zz'); } catch (error) { process.stderr.write(error.stack); }
});`;
    const r = spawnSync(process.execPath, ['--require', formatter, '-e', code], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^mine: .*"zz" is not an octal umask.* @ /);
    expect(r.stderr).toContain(` @ ${bundle}/cli-run.cjs`);
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
