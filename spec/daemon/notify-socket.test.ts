import { readdirSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DaemonspecError } from '../../src/errors.js';
import { bindDatagram, sendDatagram } from '../../src/ffi/socket.js';

function sockets(): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith('socket:')) out.push(`${fd}:${target}`);
    } catch {
      // the readdir's own fd
    }
  }
  return out.sort();
}

describe('sd_notify sockets', () => {
  it('an address too long for sockaddr_un is EUSAGE and leaves no socket open (bind and send)', () => {
    const before = sockets();
    const long = `@${'x'.repeat(200)}`;
    for (const call of [() => bindDatagram(long), () => sendDatagram(long, 'READY=1')]) {
      let error: unknown = null;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DaemonspecError);
      expect((error as DaemonspecError).code).toBe('EUSAGE');
      expect((error as DaemonspecError).errno).toBe('ENAMETOOLONG');
    }
    expect(sockets()).toEqual(before);
  });
});

describe('the notify socket never blocks the event loop (issue 18.3)', () => {
  it('is close-on-exec and O_NONBLOCK by fcntl (no SOCK_NONBLOCK/SOCK_CLOEXEC, which macOS lacks), and recv with nothing waiting returns null', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { close, isCloexec, openFlags } = await import('../../src/ffi/libc.js');
    const { O } = await import('../../src/ffi/constants.js');
    const { receiveDatagram } = await import('../../src/ffi/socket.js');
    const dir = await mkdtemp(join(tmpdir(), 'ds-notify-'));
    const path = join(dir, 'n.sock');
    const fd = bindDatagram(path);
    try {
      expect(isCloexec(fd)).toBe(true);
      expect(openFlags(fd) & O.NONBLOCK).toBe(O.NONBLOCK);
      expect(receiveDatagram(fd)).toBeNull();
      sendDatagram(path, 'STATUS=starting');
      expect(receiveDatagram(fd)).toBe('STATUS=starting');
      expect(receiveDatagram(fd)).toBeNull();
    } finally {
      close(fd);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
