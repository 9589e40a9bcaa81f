import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnDaemon } from '../../src/daemon/index.js';
import { pidFrom, ROOT, scene, TAG, tagged, type Scene } from './support.js';

/*
 * Issue 13.4, the library part: bytes that are not UTF-8 reach the daemon unchanged (a Buffer
 * argument, a Buffer command path, daemonize()'s own arguments), and what cannot carry bytes (a
 * string with a lone surrogate) is refused before anything starts. Never U+FFFD.
 */
const RAW = Buffer.from([0x61, 0xff, 0xfe, 0x62]); // "a", two bytes that are not UTF-8, "b"

/** /proc/PID/cmdline, split at NULs, as bytes. */
function cmdline(pid: number): Buffer[] {
  const raw = readFileSync(`/proc/${pid}/cmdline`);
  const parts: Buffer[] = [];
  for (let start = 0; start < raw.length; ) {
    const end = raw.indexOf(0, start);
    parts.push(raw.subarray(start, end));
    start = end + 1;
  }
  return parts;
}

function options(s: Scene) {
  return { pidfile: s.path('d.pid'), env: { [TAG]: s.tag }, timeout: 20_000 };
}

describe.skipIf(process.platform !== 'linux')('raw bytes through the library', () => {
  it('spawnDaemon(): a Buffer argument reaches the daemon byte for byte', async () => {
    const s = scene();
    // 'sleep 300; :' keeps sh itself (dash execs a lone last command, which would race the read).
    const { pid } = await spawnDaemon('/bin/sh', ['-c', 'sleep 300; :', 'sh', RAW], options(s));
    expect(cmdline(pid).at(-1)).toEqual(RAW);
  });

  it('spawnDaemon(): a Buffer command path with bytes that are not UTF-8 is executed as is', async () => {
    const s = scene();
    // A copy of sleep under a raw name: once spawnDaemon returns, exec has happened, so the
    // daemon's argv[0] is that name (a script that exec'd sleep would race the read).
    const program = Buffer.concat([Buffer.from(join(s.dir, 'd')), RAW]);
    copyFileSync('/bin/sleep', program);
    chmodSync(program, 0o755);
    const { pid } = await spawnDaemon(program, ['300'], { ...options(s), pidfile: undefined as never });
    expect(cmdline(pid)).toEqual([program, Buffer.from('300')]);
    expect(tagged(s.tag)).toEqual([pid]);
  });

  it('spawnDaemon(): a string with a lone surrogate is refused with EUSAGE, and nothing starts', async () => {
    const s = scene();
    await expect(spawnDaemon('/bin/sleep', ['300\uD800'], options(s))).rejects.toMatchObject({
      code: 'EUSAGE',
      message: expect.stringMatching(/argument 1 .* lone UTF-16 surrogate.*give raw bytes as a Buffer/),
    });
    await expect(spawnDaemon('/bin/sleep', ['300'], { ...options(s), pidfile: s.path('\uDC00.pid') })).rejects.toMatchObject({
      code: 'EUSAGE',
      message: expect.stringContaining('the pidfile path'),
    });
    expect(existsSync(s.path('d.pid'))).toBe(false);
    expect(tagged(s.tag)).toEqual([]);
  });

  it("daemonize(): the script's own arguments that are not UTF-8 reach the daemon unchanged", () => {
    const s = scene();
    const script = s.path('self.mjs');
    const lib = pathToFileURL(join(ROOT, 'dist/bundle/index.js')).href;
    writeFileSync(
      script,
      `import { readFileSync, writeFileSync } from 'node:fs';\nimport { daemonize } from ${JSON.stringify(lib)};\n` +
        `const daemon = await daemonize({ pidfile: ${JSON.stringify(s.path('d.pid'))}, stderr: ${JSON.stringify(s.path('err'))}, manualReady: true });\n` +
        `writeFileSync(${JSON.stringify(s.path('args'))}, readFileSync('/proc/self/cmdline'));\n` +
        `daemon.ready();\nsetInterval(() => {}, 1000);\n`,
    );
    // Node cannot spawn with raw bytes: sh makes the argument.
    const r = spawnSync('/bin/sh', ['-c', `exec "$0" "$1" "$(printf 'a\\377\\376b')"`, process.execPath, script], {
      env: s.env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const pid = pidFrom(s.path('d.pid'));
    expect(tagged(s.tag)).toContain(pid);
    // Written before the daemon reported ready, so before the original exited.
    const args = readFileSync(s.path('args'));
    expect(args.subarray(args.lastIndexOf(0, args.length - 2) + 1, args.length - 1)).toEqual(RAW);
  });
});
