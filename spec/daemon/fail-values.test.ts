import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, scene, tagged, type Scene } from './support.js';

/*
 * What a daemon may hand to fail(), and when it may call daemonize() (found by a library probe):
 * an error whose message cannot be read made fail() throw after it had settled, and the start hung
 * until its timeout; a message that was a number read `no message`, one of 200 kB was printed whole
 * (twice, with its stack); a failure after ready() left no trace; a second daemonize() in the
 * daemon started another daemon.
 */
const LIB = pathToFileURL(join(ROOT, 'dist/bundle/index.js')).href;

/** Runs a daemonize() script whose daemon runs `body` (with `d`, the handle, and `out`, a file path). */
function start(s: Scene, body: string): { status: number | null; stderr: string } {
  const script = s.path('d.mjs');
  writeFileSync(
    script,
    `import { writeFileSync } from 'node:fs';\nimport { daemonize } from ${JSON.stringify(LIB)};\n` +
      `const out = ${JSON.stringify(s.path('out'))};\n` +
      `const d = await daemonize({ pidfile: ${JSON.stringify(s.path('d.pid'))}, stderr: ${JSON.stringify(s.path('err.log'))}, manualReady: true, timeout: 20000 });\n${body}\n`,
  );
  const r = spawnSync(process.execPath, [script], { env: s.env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

describe('fail() with what a daemon may hand it', () => {
  it.each([
    ['an Error whose message getter throws', "const e = new Error('x'); Object.defineProperty(e, 'message', { get() { throw new Error('no'); } }); d.fail(e);", /failed before it was ready: \[object Error\]$/],
    ['an object String() cannot convert', 'd.fail(Object.create(null));', /failed before it was ready: \[object Object\]$/],
    ['a message that is a number', "const e = new Error('x'); e.message = 42; d.fail(e);", /failed before it was ready: 42$/],
    ['a message of 200 kB', "d.fail(new Error('y'.repeat(200000)));", /failed before it was ready: y{1000}…$/],
  ])('%s: the start fails with it (not at its timeout), exit 1, its first line one line', (_what, body, first) => {
    const s = scene();
    const r = start(s, body);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(first);
    expect(r.stderr.length).toBeLessThan(20_000);
    expect(existsSync(s.path('d.pid'))).toBe(false);
    expect(tagged(s.tag)).toEqual([]);
  });

  it("after ready(), the error goes to the daemon's stderr before it exits 1", async () => {
    const s = scene();
    const r = start(s, "d.ready(); setTimeout(() => d.fail(new Error('late trouble')), 50);");
    expect(r.status, r.stderr).toBe(0);
    const { vi } = await import('vitest');
    await vi.waitFor(() => expect(readFileSync(s.path('err.log'), 'utf8')).toContain('daemon failed: Error: late trouble'), { timeout: 10_000, interval: 20 });
    await vi.waitFor(() => expect(tagged(s.tag)).toEqual([]), { timeout: 10_000, interval: 20 });
  });
});

describe('daemonize() called again in the daemon', () => {
  it('is refused (EUSAGE) instead of starting another daemon', async () => {
    const s = scene();
    // It exits once the original has let go of it (it is reparented): an exit right after ready() is a start that failed.
    const body =
      "try { await daemonize({ pidfile: out + '.b' }); writeFileSync(out, 'returned'); } catch (e) { writeFileSync(out, `${e.code} ${e.refused} ${e.message}`); } " +
      'const chain = process.ppid; d.ready(); const t = setInterval(() => { if (process.ppid !== chain) { clearInterval(t); process.exit(0); } }, 5);';
    const r = start(s, body);
    expect(r.status, r.stderr).toBe(0);
    const { vi } = await import('vitest');
    await vi.waitFor(() => expect(tagged(s.tag)).toEqual([]), { timeout: 10_000, interval: 20 });
    expect(readFileSync(s.path('out'), 'utf8')).toBe('EUSAGE true daemonize() was called again in the daemon it made: call it once, at the top of the script, and keep its handle');
    expect(existsSync(`${s.path('out')}.b`)).toBe(false);
  });
});
