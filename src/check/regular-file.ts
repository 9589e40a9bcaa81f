import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The bytes of a regular file at `path` (at most `maxBytes`), or null when there is none: missing,
 * unreadable, or not a regular file. The command under check chooses what stands at a pidfile or
 * log path: a FIFO would block a plain open for good (no writer), a symlink to /dev/zero would
 * never end a plain read. So the open does not block (O_NONBLOCK), and only a regular file is read.
 */
export function readRegularFile(path: string, maxBytes: number): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return null;
    const buffer = Buffer.alloc(Math.min(maxBytes, stat.size));
    let filled = 0;
    while (filled < buffer.length) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return buffer.subarray(0, filled);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
