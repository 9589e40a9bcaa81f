/**
 * The sender of a datagram, as `check --notify` reads it: Linux's SCM_CREDENTIALS names the
 * sending process; macOS's receive path (plain recv, no credentials) is run here on a Linux
 * socket too, as far as Linux allows: the same text, and no sender.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { darwinSenderCredentials } from '../../src/ffi/datagram-sender-darwin.js';
import { linuxSenderCredentials } from '../../src/ffi/datagram-sender-linux.js';
import { closeQuietly } from '../../src/ffi/libc.js';
import { bindDatagram, sendDatagram } from '../../src/ffi/socket.js';

/** A bound abstract datagram socket, closed when the test ends. */
function boundSocket(): { address: string; fd: number } {
  const address = `@daemonspec-spec-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fd = bindDatagram(address);
  onTestFinished(() => closeQuietly(fd));
  return { address, fd };
}

describe.runIf(process.platform === 'linux')('datagram senders', () => {
  it('Linux: each datagram comes with the pid, uid and gid of the process that sent it', () => {
    const { address, fd } = boundSocket();
    linuxSenderCredentials.enable(fd);
    sendDatagram(address, 'READY=1\nSTATUS=up');
    expect(linuxSenderCredentials.receive(fd)).toEqual({ text: 'READY=1\nSTATUS=up', sender: { pid: process.pid, uid: process.getuid!(), gid: process.getgid!() } });
    expect(linuxSenderCredentials.receive(fd)).toBeNull();
  });

  it('Linux without SO_PASSCRED: the text, and no sender', () => {
    const { address, fd } = boundSocket();
    sendDatagram(address, 'READY=1');
    expect(linuxSenderCredentials.receive(fd)).toEqual({ text: 'READY=1', sender: null });
  });

  it("macOS's path (recv): the text and no sender, with the reason the rule reports", () => {
    const { address, fd } = boundSocket();
    darwinSenderCredentials.enable(fd);
    sendDatagram(address, 'MAINPID=42\nREADY=1');
    expect(darwinSenderCredentials.receive(fd)).toEqual({ text: 'MAINPID=42\nREADY=1', sender: null });
    expect(darwinSenderCredentials.receive(fd)).toBeNull();
    expect(darwinSenderCredentials.unknownBecause).toMatch(/only MAINPID= can name the daemon/);
  });
});
