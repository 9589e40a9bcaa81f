import { describe, expect, it } from 'vitest';
import { encodeSockaddr, maxSocketPathBytes } from '../../src/ffi/sockaddr.js';

/*
 * struct sockaddr_un per system, computed here whatever the host:
 * - Linux include/uapi/linux/un.h: `__kernel_sa_family_t sun_family; char sun_path[UNIX_PATH_MAX /* 108 *\/];`
 * - xnu bsd/sys/un.h lines 77-79 (xnu-11417.101.15): `unsigned char sun_len; /* sockaddr len including null *\/
 *   sa_family_t sun_family; /* u_char *\/ char sun_path[104];`
 */
describe('sockaddr_un layouts', () => {
  it.each([
    ['linux', 107],
    ['darwin', 103],
  ] as const)('%s takes a path of at most %i bytes', (os, max) => {
    expect(maxSocketPathBytes(os)).toBe(max);
    expect(() => encodeSockaddr(`/${'x'.repeat(max - 1)}`, os)).not.toThrow();
    expect(() => encodeSockaddr(`/${'x'.repeat(max)}`, os)).toThrow(/at most \d+ bytes/);
  });

  it('linux: 16-bit family first, then the path and its NUL', () => {
    const { addr, len } = encodeSockaddr('/tmp/n', 'linux');
    expect(addr.readUInt16LE(0)).toBe(1);
    expect(addr.toString('utf8', 2, 8)).toBe('/tmp/n');
    expect(len).toBe(2 + 6 + 1);
    expect(addr.length).toBe(110);
  });

  it('linux: an abstract name starts with a NUL and has none at the end', () => {
    const { addr, len } = encodeSockaddr('@abc', 'linux');
    expect(addr[2]).toBe(0);
    expect(addr.toString('utf8', 3, 6)).toBe('abc');
    expect(len).toBe(2 + 4);
  });

  it('darwin: sun_len then sun_family (one byte each), then the path', () => {
    const { addr, len } = encodeSockaddr('/tmp/n', 'darwin');
    expect(addr[0]).toBe(len);
    expect(addr[1]).toBe(1);
    expect(addr.toString('utf8', 2, 8)).toBe('/tmp/n');
    expect(len).toBe(2 + 6 + 1);
    expect(addr.length).toBe(106);
  });
});
