import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, scene, tagged } from './support.js';

/*
 * Issue 14.2: a start that fails is undone (the chain killed, the pidfile removed), and the undo
 * waits until the start's processes are gone. A daemon that called fail() has exited: it is a
 * zombie until whoever adopts it reaps it, which may be late (an init that reaps in batches) or
 * never while the start runs (a subreaper above the caller that is busy waiting). A zombie is
 * not a process left running: the undo must not wait for it, nor name it as still running.
 * Here the wrapper above the original is a subreaper that reaps nothing until the original ends.
 */
const WRAPPER = `
import { spawnSync } from 'node:child_process';
import { setChildSubreaper } from ${JSON.stringify(join(ROOT, 'dist/ffi/libc.js'))};
setChildSubreaper(true);
const r = spawnSync(process.execPath, process.argv.slice(1), { encoding: 'utf8' });
process.stderr.write(r.stderr);
process.exit(r.status ?? 99);
`;

describe.skipIf(process.platform !== 'linux')('a failed start under a subreaper that does not reap', () => {
  it("fail(): exit 1 with the daemon's own error; its zombie is not named as a process left running", () => {
    const s = scene();
    const args = [s.path('daemon.pid'), s.path('out.log'), s.path('err.log')];
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', WRAPPER, join(FIXTURES, 'fails-before-ready.mjs'), ...args], {
      encoding: 'utf8',
      env: s.env,
      timeout: 30_000,
    });
    expect(r.stderr).toMatch(/failed before it was ready: config file \/etc\/fixture.conf is missing/);
    expect(r.stderr).not.toMatch(/still ran/);
    expect(r.status).toBe(1);
    expect(tagged(s.tag)).toEqual([]);
  });
});
