import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testDir } from '../support/temp-dir.js';

/*
 * Issue 14.1: the CLI is CommonJS and its code is compiled with the V8 code cache the build wrote
 * (src/cli/launcher.ts, scripts/code-cache.mjs). V8 checks a cache against its version, its flags
 * and the source: a cache that does not fit is rejected and the code compiled as if there were none.
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
