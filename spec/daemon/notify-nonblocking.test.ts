import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { openNotifySocket } from '../../src/daemon/notify.js';
import { O } from '../../src/ffi/constants.js';
import { closeQuietly, isCloexec, openFlags } from '../../src/ffi/libc.js';
import { bindDatagram, receiveDatagram, sendDatagram } from '../../src/ffi/socket.js';
import { testDir } from '../support/temp-dir.js';

/*
 * Portable (issue 18.3): the `--notify` socket never blocks the event loop. macOS has neither
 * SOCK_NONBLOCK nor SOCK_CLOEXEC (xnu bsd/sys/socket.h), so both come from fcntl, and recv also
 * passes MSG_DONTWAIT. A blocking socket would hang the loop in recv right after a STATUS=
 * datagram: the deadline, the timers and the signal guard would never run again.
 */
describe('the notify socket never blocks the event loop (portable)', () => {
  test('it is close-on-exec and O_NONBLOCK by fcntl, and recv with nothing waiting returns null', () => {
    const path = join(testDir('ds-notify-'), 'n.sock');
    const fd = bindDatagram(path);
    onTestFinished(() => closeQuietly(fd));
    expect(isCloexec(fd)).toBe(true);
    expect(openFlags(fd) & O.NONBLOCK).toBe(O.NONBLOCK);
    expect(receiveDatagram(fd)).toBeNull();
    sendDatagram(path, 'STATUS=starting');
    expect(receiveDatagram(fd)).toBe('STATUS=starting');
    expect(receiveDatagram(fd)).toBeNull();
  });

  test('a STATUS= datagram followed by nothing: timers keep firing and the deadline ends the wait', async () => {
    const socket = openNotifySocket(process.geteuid!());
    onTestFinished(() => socket.close());
    sendDatagram(socket.address, 'STATUS=starting');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    onTestFinished(() => clearInterval(timer));
    const started = Date.now();
    expect(await socket.waitReady(started + 400, process.pid)).toEqual({ result: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(ticks).toBeGreaterThan(0);
  });

  test('the STATUS= read before is kept: ERRNO= afterwards reports it', async () => {
    const socket = openNotifySocket(process.geteuid!());
    onTestFinished(() => socket.close());
    sendDatagram(socket.address, 'STATUS=no config');
    sendDatagram(socket.address, 'ERRNO=2');
    expect(await socket.waitReady(Date.now() + 10_000, process.pid)).toEqual({ result: 'errno', errno: 2, status: 'no config' });
  });
});
