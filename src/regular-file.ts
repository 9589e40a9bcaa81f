import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Reads an open file from its start: at most `maxBytes`, fewer at its end. */
export function readBounded(fd: number, maxBytes: number): Buffer {
  const buffer = Buffer.alloc(maxBytes);
  let filled = 0;
  while (filled < buffer.length) {
    const n = readSync(fd, buffer, filled, buffer.length - filled, filled);
    if (n === 0) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}

/** How far past its size at fstat a file is read (it may grow while it is read). */
const GROWTH = 64 * 1024;

/**
 * A regular file at `path`, read from one open (its bytes, at most `maxBytes`, and its identity),
 * or null when there is none: missing, unreadable, or not a regular file. What stands at a pidfile
 * or log path may be chosen by a program under check: a FIFO would block a plain open for good (no
 * writer), a symlink to /dev/zero would never end a plain read. So the open does not block
 * (O_NONBLOCK), and only a regular file is read.
 */
export function readRegularFile(path: string, maxBytes: number): { bytes: Buffer; stat: Stats } | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    return stat.isFile() ? { bytes: readBounded(fd, Math.min(maxBytes, stat.size + GROWTH)), stat } : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
