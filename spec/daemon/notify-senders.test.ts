import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, onTestFinished, test } from 'vitest';
import { openNotifySocket } from '../../src/daemon/notify.js';
import { sendDatagram } from '../../src/ffi/socket.js';
import { runCliSync } from '../cli/run-cli.js';
import { scene } from './support.js';

/*
 * `run --notify`'s socket is an abstract address on Linux: no permissions, and its name shows in
 * /proc/net/unix. An adversarial probe, as `nobody`, sent READY=1 to it, and `run` reported a
 * program ready that never notified; ERRNO=13 had a good daemon killed. A message from a user that
 * is neither root, nor this process's, nor the daemon's is now ignored (the kernel names the
 * sender: SCM_CREDENTIALS).
 */
const SETPRIV = '/usr/bin/setpriv';
const NOBODY = 65534;
/** No process of the test: the messages here come from no daemon's tree. */
const DAEMON_PID = 0x3fffffff;

/** Sends `message` to `address` from a process running as nobody; an abstract address starts with @. */
function sendAsNobody(address: string, message: string): void {
  const script = 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(sys.argv[2].encode(), sys.argv[1].replace("@", "\\0", 1).encode())';
  const r = spawnSync(SETPRIV, [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', '/usr/bin/python3', '-c', script, address, message], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

describe.runIf(process.platform === 'linux' && process.getuid?.() === 0 && existsSync(SETPRIV))('run --notify: who may say ready', () => {
  test('READY=1 and ERRNO= from another user are ignored; the daemon\'s own READY=1 counts', async () => {
    const socket = openNotifySocket(0);
    onTestFinished(() => socket.close());
    sendAsNobody(socket.address, 'ERRNO=13');
    sendAsNobody(socket.address, 'READY=1');
    expect(await socket.waitReady(Date.now() + 300, DAEMON_PID)).toEqual({ result: 'timeout' });
    sendDatagram(socket.address, 'READY=1');
    expect(await socket.waitReady(Date.now() + 10_000, DAEMON_PID)).toEqual({ result: 'ready' });
  });

  test('a daemon that runs as nobody (--user nobody) is heard', async () => {
    const socket = openNotifySocket(NOBODY);
    onTestFinished(() => socket.close());
    sendAsNobody(socket.address, 'READY=1');
    expect(await socket.waitReady(Date.now() + 10_000, DAEMON_PID)).toEqual({ result: 'ready' });
  });

  // A review: a daemon that drops privileges itself, then says READY=1 as nobody, was ignored
  // and killed at the timeout. Its messages count: it is the daemon.
  test('run --notify hears a daemon that became nobody itself', () => {
    const s = scene();
    const script = 'import os,socket; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b"READY=1", os.environ["NOTIFY_SOCKET"].replace("@", "\\0", 1).encode()); os.execv("/bin/sleep", ["sleep", "300"])';
    const r = runCliSync(['run', '--notify', '--timeout', '10', '--pidfile', s.path('d.pid'), '--', SETPRIV, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', '/usr/bin/python3', '-c', script], s.env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
