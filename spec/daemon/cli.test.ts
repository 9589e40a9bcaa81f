import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { closeQuietly } from '../../src/ffi/libc.js';
import { bindDatagram, receiveDatagram } from '../../src/ffi/socket.js';
import { CLI, isRunning, pidFrom, proc, scene, type Scene } from './support.js';
import { howItEnded, runCliSync } from '../cli/run-cli.js';

function cli(s: Scene, args: string[]) {
  return runCliSync(args, s.env);
}

const PY_NOTIFY = (message: string) =>
  `import os, socket\na = os.environ['NOTIFY_SOCKET']\na = '\\0' + a[1:] if a.startswith('@') else a\ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\ns.sendto(b'${message}', a)\nos.execv('/bin/sleep', ['sleep', '300'])\n`;

describe('daemonspec run / stop / status', () => {
  it('status exit codes are LSB: 3 no pidfile, 0 running, 1 dead with pidfile', async () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    expect(cli(s, ['status', '--pidfile', pidfile]).code).toBe(3);
    const run = cli(s, ['run', '--print-pid', '--pidfile', pidfile, '--', 'sleep', '300']);
    expect(run.stderr).toBe('');
    expect(run.code, run.stderr).toBe(0);
    const pid = Number(run.stdout.trim());
    expect(pidFrom(pidfile)).toBe(pid);
    const status = cli(s, ['status', '--json', '--pidfile', pidfile]);
    expect(status.code, status.stderr + status.stdout).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ code: 0, pid, locked: true });
    process.kill(pid, 'SIGKILL');
    const { vi } = await import('vitest');
    await vi.waitFor(() => expect(isRunning(pid)).toBe(false), { timeout: 10_000, interval: 20 });
    expect(cli(s, ['status', '--pidfile', pidfile]).code).toBe(1);
  });

  it('run twice: the second is refused before it starts anything (exit 2), naming the running pid', () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    expect(cli(s, ['run', '--pidfile', pidfile, '--', '/bin/sleep', '300']).code).toBe(0);
    const second = cli(s, ['run', '--pidfile', pidfile, '--', '/bin/sleep', '300']);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`held by PID ${pidFrom(pidfile)}`);
  });

  it('a pidfile in a directory that takes no new files (/proc) is refused saying so, not "create the directory /proc first" (a new user\'s probe)', () => {
    const s = scene();
    const r = cli(s, ['run', '--pidfile', '/proc/daemonspec-test.pid', '--', '/bin/sleep', '300']);
    expect(r.stderr).toBe('daemonspec: cannot create a temporary file next to the pidfile /proc/daemonspec-test.pid (ENOENT): the directory /proc exists but takes no new files (a kernel file system): put the pidfile elsewhere\n');
    expect(r.code).toBe(2);
  });

  it('stop escalates to SIGKILL with a message when the daemon ignores SIGTERM', () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    expect(cli(s, ['run', '--pidfile', pidfile, '--', '/bin/sh', '-c', 'trap "" TERM; exec /bin/sleep 300']).code).toBe(0);
    const pid = pidFrom(pidfile);
    const stop = cli(s, ['stop', '--pidfile', pidfile, '--timeout', '0.3']);
    expect(stop.code).toBe(0);
    // The signal by its name (it said "of signal 15": a new user's probe).
    expect(stop.stderr).toContain(`PID ${pid} did not exit within 300 ms of SIGTERM; killed it with SIGKILL`);
    expect(isRunning(pid)).toBe(false);
    expect(cli(s, ['status', '--pidfile', pidfile]).code).toBe(3);
    expect(cli(s, ['stop', '--pidfile', pidfile]).code).toBe(1);
  });

  it('stop --signal out of range or unknown is a usage error (exit 2), checked before the pidfile is read', () => {
    const s = scene();
    for (const signal of ['99', '0', 'NOPE']) {
      const r = cli(s, ['stop', '--signal', signal, '--pidfile', s.path('none.pid')]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`unknown signal ${signal}: use a name such as TERM, INT, HUP or a number from 1 to 64`);
    }
  });

  it('usage errors exit 2 with the fix', () => {
    const s = scene();
    const r = cli(s, ['run', '--umask', '999', '--', '/bin/sleep', '1']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--umask: "999" is not an octal umask');
  });

  it('--notify: ready only after the program sends READY=1 over NOTIFY_SOCKET (start-stop-daemon --notify-await)', () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    const r = cli(s, ['run', '--notify', '--pidfile', pidfile, '--', '/usr/bin/python3', '-c', PY_NOTIFY('READY=1')]);
    expect(r.stderr).toBe('');
    expect(r.code, howItEnded(r)).toBe(0);
    expect(proc(pidFrom(pidfile)).cmdline).toEqual(['sleep', '300']);
  });

  it('--notify under a notify supervisor (NOTIFY_SOCKET set for run itself): READY=1 and the daemon as MAINPID are passed on once it is ready', () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    const outer = s.path('outer.sock');
    const fd = bindDatagram(outer);
    onTestFinished(() => closeQuietly(fd));
    const r = runCliSync(['run', '--notify', '--pidfile', pidfile, '--', '/usr/bin/python3', '-c', PY_NOTIFY('READY=1')], { ...s.env, NOTIFY_SOCKET: outer });
    expect(r.code, howItEnded(r)).toBe(0);
    expect(receiveDatagram(fd)).toBe(`READY=1\nMAINPID=${pidFrom(pidfile)}`);
    expect(receiveDatagram(fd)).toBeNull();
  });

  it('--notify: ERRNO= is a failed start (exit 1, daemon killed, no pidfile)', async () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    const r = cli(s, ['run', '--notify', '--pidfile', pidfile, '--', '/usr/bin/python3', '-c', PY_NOTIFY('STATUS=no config\\nERRNO=2')]);
    expect(r.code, howItEnded(r)).toBe(1);
    expect(r.stderr).toContain('ERRNO=2 (no config)');
    expect(() => readFileSync(pidfile)).toThrow();
    const { tagged } = await import('./support.js');
    expect(tagged(s.tag)).toEqual([]);
  });

  it('--user nobody as root: uid, gid and supplementary groups dropped (dnscap#208)', () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    const r = cli(s, ['run', '--user', 'nobody', '--pidfile', pidfile, '--', '/bin/sleep', '300']);
    expect(r.stderr).toBe('');
    expect(r.code, howItEnded(r)).toBe(0);
    const p = proc(pidFrom(pidfile));
    expect(p.uid).toEqual([65534, 65534, 65534, 65534]);
    expect(p.gid[0]).toBe(65534);
    expect(p.groups).not.toContain(0);
  });

  it('--user without root is refused with EUSER before anything starts', () => {
    const s = scene();
    const r = spawnSync('/usr/bin/setpriv', ['--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', process.execPath, CLI, 'run', '--user', 'root', '--', '/bin/sleep', '300'], {
      env: s.env,
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('needs root');
  });
});

describe('daemonspec stop and pid reuse', () => {
  it('does not signal a live pid named by an unlocked pidfile (a reused pid), unless --force', async () => {
    const s = scene();
    const pidfile = s.path('reused.pid');
    // An unrelated process whose pid a stale, unlocked pidfile names: what pid reuse looks like.
    const { spawn } = await import('node:child_process');
    const bystander = spawn('/bin/sleep', ['300'], { env: s.env, stdio: 'ignore' });
    const pid = bystander.pid!;
    const { onTestFinished, vi } = await import('vitest');
    onTestFinished(() => {
      bystander.kill('SIGKILL');
    });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(pidfile, `${pid}\n`);

    const refused = cli(s, ['stop', '--pidfile', pidfile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`names PID ${pid}, which runs, but nothing holds the pidfile lock: either the daemon closed its pidfile fd, or PID ${pid} was reused`);
    expect(refused.stderr).toContain('--force');
    expect(isRunning(pid)).toBe(true);

    const forced = cli(s, ['stop', '--force', '--pidfile', pidfile, '--timeout', '5']);
    expect(forced.code, forced.stderr).toBe(0);
    await vi.waitFor(() => expect(bystander.exitCode !== null || bystander.signalCode !== null).toBe(true), { timeout: 10_000, interval: 20 });
    expect(bystander.signalCode).toBe('SIGTERM');
  });
});
