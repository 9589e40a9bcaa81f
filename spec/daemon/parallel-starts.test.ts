import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scene } from './support.js';

/*
 * A library user may start many daemons at once (a test suite's fixtures). Each start guards
 * against SIGINT, SIGTERM and SIGHUP while it waits (src/daemon/interrupt-guard.ts): twelve at once
 * must not warn of a listener leak, and each start still undoes itself on its own.
 */
const packageEntry = fileURLToPath(new URL('../../dist/bundle/index.js', import.meta.url));

describe('parallel spawnDaemon() calls in one process', () => {
  it('twelve at once all start, with no MaxListenersExceededWarning and no signal listener left behind', () => {
    const s = scene();
    const script = `const { spawnDaemon } = await import(${JSON.stringify(packageEntry)});
const started = await Promise.all(Array.from({ length: 12 }, () => spawnDaemon('/bin/sleep', ['300'])));
const left = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((signal) => process.listenerCount(signal));
for (const { pid } of started) process.kill(pid, 'SIGKILL');
process.stdout.write(JSON.stringify({ started: started.length, left }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: s.env, timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ started: 12, left: [0, 0, 0] });
    expect(r.status).toBe(0);
  });
});
