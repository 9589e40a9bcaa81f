import { closeSync, constants, fchmodSync, fchownSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomHex } from './random-hex.js';

export interface ReplaceOptions {
  /** The file's mode; none: 0644 less the umask. */
  mode?: number | undefined;
  /** The file's owner; none: this process's. */
  owner?: { uid: number; gid: number } | undefined;
}

/**
 * Puts a new file with `data` at `path`, whatever stood there, in one step: the bytes go into a
 * file of a name nobody can guess, made anew beside it (O_EXCL, O_NOFOLLOW), given its owner
 * and mode through its fd, then renamed over `path`. A neighbour's symlink or FIFO planted at
 * `path` in a shared directory is replaced, never followed into nor blocked on (writeFileSync
 * followed the link and overwrote its target, and hung on the FIFO); a reader, and a crash at
 * any instant, see the old file or the whole new one.
 */
export function replaceFile(path: string, data: string | Uint8Array, options: ReplaceOptions = {}): void {
  // Cut so that the temporary name fits NAME_MAX (255) whatever the name's length.
  const temporary = join(dirname(path), `.${basename(path).slice(0, 200)}.${randomHex(6)}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW; // libuv adds O_CLOEXEC
  const fd = openSync(temporary, flags, options.mode ?? 0o644);
  try {
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
      if (options.owner) fchownSync(fd, options.owner.uid, options.owner.gid);
      if (options.mode !== undefined) fchmodSync(fd, options.mode);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
