import { readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { readPidfile, spawnDaemon } from '../../src/daemon/index.js';
import { getsid, getpgid } from '../../src/ffi/libc.js';
import { ancestors, CLI, FIXTURES, LEAK_FD, pidFrom, proc, scene, sigbit, SIGUSR1, SIGUSR2, tagged, trappedCaller, type Scene } from './support.js';

const SIGHUP = 1;
const SIGPIPE = 13;
const SIGXFSZ = 25;

/**
 * Issue 2, "What a daemon made by daemonspec must be", points 2-7 and 9, read from /proc of the
 * real daemon. Each starter runs from a caller with traps set (support.ts trappedCaller).
 */
function assertDaemon(s: Scene, pid: number, callerPid: number, files: { stdout: string; stderr: string; pidfile: string; leak: string }) {
  const p = proc(pid);
  // 2. new session, not its leader, not in the caller's group, no ctty, reparented
  expect(p.sid).not.toBe(pid);
  expect(p.sid).not.toBe(getsid(process.pid));
  expect(p.pgid).not.toBe(getpgid(process.pid));
  expect(p.pgid).not.toBe(callerPid);
  expect(p.ttyNr).toBe(0);
  expect([1, ...ancestors()]).toContain(p.ppid);
  // 3. umask and cwd set, whatever the caller had (077, an odd directory)
  expect(p.umask).toBe(0o022);
  expect(p.cwd).toBe('/');
  // 4. stdin /dev/null, stdout and stderr at 1 and 2, logs created 0640 despite umask 077
  expect(p.fds.get(0)).toBe('/dev/null');
  expect(p.fds.get(1)).toBe(files.stdout);
  expect(p.fds.get(2)).toBe(files.stderr);
  expect(statSync(files.stdout).mode & 0o777).toBe(0o640);
  expect(statSync(files.stderr).mode & 0o777).toBe(0o640);
  // 5. the caller's leaked fd 9 is gone (conmon-rs#3363: a leaked harness fd hung a suite)
  expect([...p.fds.values()]).not.toContain(files.leak);
  // 6. mask empty (caller blocked SIGUSR1); the caller's ignored SIGUSR2/SIGHUP are default again
  expect(p.sigBlk).toBe(0n);
  expect(p.sigIgn & (sigbit(SIGUSR1) | sigbit(SIGUSR2) | sigbit(SIGHUP))).toBe(0n);
  // 7. pidfile: PID\n, locked by the daemon
  expect(pidFrom(files.pidfile)).toBe(pid);
  expect(readPidfile(files.pidfile).locked).toBe(true);
  expect([...p.fds.values()]).toContain(files.pidfile);
  void s;
  return p;
}

function files(s: Scene) {
  return { stdout: s.path('out.log'), stderr: s.path('err.log'), pidfile: s.path('daemon.pid'), leak: s.path('leaked-by-caller') };
}

describe('a daemon started by daemonspec (read from /proc)', () => {
  it('daemonspec run -- /bin/sleep: every point; fds are 0-2 and the pidfile lock only (no status pipe leaks into the target)', async () => {
    const s = scene();
    const f = files(s);
    const caller = await trappedCaller(s, [process.execPath, CLI, 'run', '--pidfile', f.pidfile, '--stdout', f.stdout, '--stderr', f.stderr, '--', '/bin/sleep', '300']);
    expect(caller.stderr).toBe('');
    expect(caller.exitCode).toBe(0);
    // 1. the caller exited only once the daemon ran: pidfile written, exec done (Debian #686420)
    const pid = pidFrom(f.pidfile);
    const p = assertDaemon(s, pid, caller.pid, f);
    expect(p.cmdline).toEqual(['/bin/sleep', '300']);
    expect(p.sigIgn).toBe(0n);
    expect([...p.fds.entries()].filter(([fd]) => fd > 2).map(([, target]) => target)).toEqual([f.pidfile]);
    expect(p.fds.has(LEAK_FD)).toBe(false);
  });

  it('a Node script calling daemonize(): every point; marker removed (go-daemon#82); execArgv kept (daemon.node#32)', async () => {
    const s = scene();
    const f = files(s);
    const caller = await trappedCaller(s, [process.execPath, '--expose-gc', join(FIXTURES, 'auto-ready.mjs'), f.pidfile, f.stdout, f.stderr]);
    expect(caller.stderr).toBe('');
    expect(caller.exitCode).toBe(0);
    const pid = pidFrom(f.pidfile);
    // read /proc once the fixture idles: its spawnSync() blocks every signal for a moment (libuv around fork)
    await vi.waitFor(() => expect(readFileSync(f.stdout, 'utf8')).toContain('daemon ready'), { timeout: 10_000 });
    const p = assertDaemon(s, pid, caller.pid, f);
    // the Node runtime itself ignores SIGPIPE and SIGXFSZ (documented in docs/daemonizer.md): nothing else
    expect(p.sigIgn).toBe(sigbit(SIGPIPE) | sigbit(SIGXFSZ));
    // no fd names a file or socket of the caller: only Node's own pipes, eventfds and epoll
    for (const [fd, target] of p.fds) {
      if (fd <= 2) continue;
      expect(target, `fd ${fd}`).toMatch(/^(anon_inode:|pipe:)|^\//);
      if (target.startsWith('/')) expect(target).toBe(f.pidfile);
    }
    expect(p.cmdline).toContain('--expose-gc');
    const log = readFileSync(f.stdout, 'utf8');
    expect(log).toContain('marker-in-self=absent marker-in-child=absent');
    expect(log).toContain('execArgv=["--expose-gc"]');
    // code above daemonize() ran in both processes (the docs say so)
    expect(log).toContain(`before daemonize pid=${pid}`);
    expect(caller.stdout).toMatch(/^before daemonize pid=\d+\n$/);
  });

  it('manual readiness: when the original exits, the daemon already accepts connections', async () => {
    const s = scene();
    const f = files(s);
    const caller = await trappedCaller(s, [process.execPath, join(FIXTURES, 'manual-ready.mjs'), f.pidfile, f.stdout, f.stderr]);
    expect(caller.exitCode).toBe(0);
    const port = Number(/listening port=(\d+)/.exec(readFileSync(f.stdout, 'utf8'))?.[1]);
    expect(port).toBeGreaterThan(0);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let data = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (data += chunk));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toBe('hello from the daemon\n');
    assertDaemon(s, pidFrom(f.pidfile), caller.pid, f);
  });

  it('spawnDaemon() from this process: umask 0 and a cwd as options, keepFds kept at their number', async () => {
    const s = scene();
    const f = files(s);
    const { openSync, closeSync } = await import('node:fs');
    const kept = openSync(s.path('kept'), 'w');
    onTestFinished(() => closeSync(kept));
    const started = await spawnDaemon('sleep', ['300'], { pidfile: f.pidfile, stdout: f.stdout, stderr: f.stderr, umask: 0, cwd: s.dir, keepFds: [kept], env: s.env });
    const p = proc(started.pid);
    expect(p.umask).toBe(0);
    expect(p.cwd).toBe(s.dir);
    expect(p.fds.get(kept)).toBe(s.path('kept'));
    expect(p.sid).not.toBe(started.pid);
    expect(p.ttyNr).toBe(0);
    expect(p.sigBlk).toBe(0n);
    expect(p.sigIgn).toBe(0n);
    expect(pidFrom(f.pidfile)).toBe(started.pid);
  });

  it('environment: passed through, set and cleared by option', async () => {
    const s = scene();
    const started = await spawnDaemon('/bin/sleep', ['300'], { env: { ...s.env, ADDED: 'yes', HOME: null } });
    const env = proc(started.pid).environ;
    expect(env).toContain('ADDED=yes');
    expect(env.some((kv) => kv.startsWith('HOME='))).toBe(false);
    expect(env).toContain(`PATH=${process.env.PATH}`);
    expect(env.some((kv) => kv.startsWith('DAEMONSPEC_DAEMON='))).toBe(false);
  });

  it('environment: a name that is an object key in JavaScript (__proto__) is passed like any other', async () => {
    const s = scene();
    const started = await spawnDaemon('/bin/sleep', ['300'], { env: { ...s.env, ...JSON.parse('{"__proto__":"one","constructor":"two"}') } });
    expect(proc(started.pid).environ).toEqual(expect.arrayContaining(['__proto__=one', 'constructor=two']));
  });

  it('environment: a name /bin/sh would drop (not letters, digits and _) is refused, nothing started', async () => {
    const s = scene();
    for (const name of ['A-B', 'A.B', 'A B', '1A']) {
      await expect(spawnDaemon('/bin/sleep', ['300'], { env: { ...s.env, [name]: 'x' } })).rejects.toMatchObject({
        code: 'EUSAGE',
        refused: true,
        message: `environment variable name ${JSON.stringify(name)} cannot be passed on: /bin/sh, which runs the chain, drops names that are not letters, digits and _ (not starting with a digit): rename it`,
      });
    }
    expect(tagged(s.tag)).toEqual([]);
  });
});
