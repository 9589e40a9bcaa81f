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

// Its non-blocking behaviour is tested where a Mac runs it too: notify-nonblocking.test.ts.
