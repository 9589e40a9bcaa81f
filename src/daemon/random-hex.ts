/**
 * `bytes` random bytes as hex, from the Web Crypto API that Node sets up on first use:
 * importing node:crypto costs 4-6 ms here, which `import 'daemonspec'` would pay for names it may
 * never make (issue 14.1). Unpredictable as randomBytes is: the names it makes sit in shared
 * directories, where a neighbour must not guess them.
 */
export function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  return Buffer.from(buffer).toString('hex');
}
