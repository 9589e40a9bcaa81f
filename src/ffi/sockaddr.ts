import { koffi } from './koffi.js';
import { darwinConstants } from './constants-darwin.js';
import { linuxConstants } from './constants-linux.js';
import { syscallError } from './errno.js';
import type { Os } from './platform.js';

/** What differs in struct sockaddr_un between the systems (constants-linux.ts, constants-darwin.ts). */
const LAYOUT: Record<Os, { sunPathBytes: number; hasLen: boolean }> = {
  linux: { sunPathBytes: linuxConstants.SUN_PATH_BYTES, hasLen: (linuxConstants.SOCKADDR_HAS_LEN as number) === 1 },
  darwin: { sunPathBytes: darwinConstants.SUN_PATH_BYTES, hasLen: (darwinConstants.SOCKADDR_HAS_LEN as number) === 1 },
};

const AF_UNIX = 1;

/** The longest socket path (bytes, without the terminating NUL) bind() takes on `os`: 107 on Linux, 103 on macOS. */
export function maxSocketPathBytes(os: Os): number {
  return LAYOUT[os].sunPathBytes - 1;
}

/**
 * struct sockaddr_un for a NOTIFY_SOCKET value ('@name' abstract, Linux only, else a path) in
 * `os`'s layout: Linux `{ sa_family_t sun_family; char sun_path[108]; }`, macOS (xnu
 * bsd/sys/un.h) `{ u_char sun_len; u_char sun_family; char sun_path[104]; }`.
 */
export function encodeSockaddr(address: string, os: Os): { addr: Buffer; len: number } {
  const abstract = address.startsWith('@');
  const name = Buffer.from(abstract ? `\0${address.slice(1)}` : address, 'utf8');
  const max = maxSocketPathBytes(os);
  if (name.length > max) {
    throw syscallError('bind', koffi().os.errno.ENAMETOOLONG, {
      path: address,
      code: 'EUSAGE',
      hint: `a socket path is at most ${max} bytes here (this one is ${name.length}): use a shorter directory, such as /tmp`,
    });
  }
  const { sunPathBytes, hasLen } = LAYOUT[os];
  const addr = Buffer.alloc(2 + sunPathBytes);
  const len = 2 + name.length + (abstract ? 0 : 1);
  if (hasLen) {
    addr[0] = len; // sun_len: "sockaddr len including null"
    addr[1] = AF_UNIX;
  } else {
    addr.writeUInt16LE(AF_UNIX, 0);
  }
  name.copy(addr, 2);
  return { addr, len };
}
