import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readPidfile, spawnDaemon, stopDaemon } from '../../src/daemon/index.js';
import { DaemonspecError } from '../../src/errors.js';
import { FIXTURES, isRunning, listDir, pidFrom, proc, scene, trappedCaller } from './support.js';

describe('pidfile', () => {
  it('a second start fails EPIDFILE_LOCKED naming the pid, and does not truncate the running pidfile (knsd/daemonize#20)', async () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    const first = await spawnDaemon('/bin/sleep', ['300'], { pidfile, env: s.env });
    const inode = statSync(pidfile).ino;
    const error = await spawnDaemon('/bin/sleep', ['300'], { pidfile, env: s.env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DaemonspecError);
    expect((error as DaemonspecError).code).toBe('EPIDFILE_LOCKED');
    expect((error as Error).message).toContain(`held by PID ${first.pid}; stop it with \`daemonspec stop --pidfile ${pidfile}\``);
    expect(readFileSync(pidfile, 'latin1')).toBe(`${first.pid}\n`);
    expect(statSync(pidfile).ino).toBe(inode);
    expect(listDir(s.dir)).toEqual(['d.pid']);
    expect(isRunning(first.pid)).toBe(true);
  });

  it('a stale pidfile (no lock holder) is replaced atomically; empty pidfiles never appear (bmc/daemonize#35)', async () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    writeFileSync(pidfile, '999999\n');
    expect(readPidfile(pidfile)).toMatchObject({ pid: 999999, locked: false, alive: false });
    const started = await spawnDaemon('/bin/sleep', ['300'], { pidfile, env: s.env });
    expect(readFileSync(pidfile, 'latin1')).toBe(`${started.pid}\n`);
    expect(readPidfile(pidfile)).toMatchObject({ pid: started.pid, locked: true, alive: true });
    expect(listDir(s.dir)).toEqual(['d.pid']);
  });

  it('the caller returns only after the pidfile is written (Debian #686420)', async () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    const started = await spawnDaemon('/bin/sleep', ['300'], { pidfile, env: s.env });
    expect(pidFrom(pidfile)).toBe(started.pid);
  });

  it("a Node daemon's children inherit neither the lock nor the pipe (knsd/daemonize#39); the pidfile goes on clean exit", async () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    const caller = await trappedCaller(s, [process.execPath, join(FIXTURES, 'child-then-clean-exit.mjs'), pidfile, s.path('out.log'), s.path('err.log')]);
    expect(caller.stderr).toBe('');
    expect(caller.exitCode).toBe(0);
    const pid = pidFrom(pidfile);
    const childPid = Number(/child pid=(\d+)/.exec(readFileSync(s.path('out.log'), 'utf8'))?.[1]);
    const childFds = [...proc(childPid).fds.values()];
    expect(childFds).not.toContain(pidfile);
    expect(childFds.filter((t) => t.startsWith('pipe:'))).toEqual([]);
    process.kill(pid, 'SIGUSR2');
    await vi.waitFor(() => expect(isRunning(pid)).toBe(false), { timeout: 10_000, interval: 20 });
    expect(listDir(s.dir).filter((n) => n.endsWith('.pid') || n.endsWith('.tmp'))).toEqual([]);
    // the next start is not blocked by anything the first one left
    const again = await spawnDaemon('/bin/sleep', ['300'], { pidfile, env: s.env });
    expect(pidFrom(pidfile)).toBe(again.pid);
  });

  it('stopDaemon removes the pidfile of a program that cannot remove it itself', async () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    const started = await spawnDaemon('/bin/sleep', ['300'], { pidfile, env: s.env });
    const result = await stopDaemon({ pidfile });
    expect(result).toMatchObject({ pid: started.pid, stopped: true, killed: false });
    expect(isRunning(started.pid)).toBe(false);
    expect(listDir(s.dir)).toEqual([]);
  });
});
