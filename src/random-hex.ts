import { closeSync, openSync, readSync } from 'node:fs';

/**
 * `bytes` random bytes as hex, read from the kernel's /dev/urandom: the names it makes sit in
 * shared directories, where a neighbour must not guess them. Not node:crypto, nor the Web Crypto
 * API that Node sets up on first use: either costs 4-7 ms here (measured in `daemonspec run`'s
 * profile), paid by every start that writes a pidfile; an open and a read cost a few µs. Where
 * /dev/urandom cannot be opened (a chroot without /dev), the Web Crypto API does it.
 */
export function randomHex(bytes: number): string {
  const buffer = Buffer.alloc(bytes);
  let fd: number;
  try {
    fd = openSync('/dev/urandom', 'r');
  } catch {
    globalThis.crypto.getRandomValues(buffer);
    return buffer.toString('hex');
  }
  try {
    // At most 256 bytes are asked for here: a read of /dev/urandom that small is never short.
    if (readSync(fd, buffer, 0, bytes, null) !== bytes) throw new Error('short read from /dev/urandom');
  } finally {
    closeSync(fd);
  }
  return buffer.toString('hex');
}
