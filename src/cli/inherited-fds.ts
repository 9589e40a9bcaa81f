import { usageError } from '../errors.js';
import { isFdOpen } from '../ffi/libc.js';

/**
 * `--keep-fd N` keeps a descriptor the caller handed to daemonspec: one that is not open is
 * refused in the CLI's words. (One that is open may still be Node's own rather than the caller's:
 * Node marks every inherited fd close-on-exec at its start, as its own are, so nothing in this
 * process tells them apart: docs/limits.md.)
 */
export function refuseFdsNotOpen(fds: readonly number[]): void {
  for (const fd of fds) {
    if (!isFdOpen(fd)) {
      throw usageError(`--keep-fd: fd ${fd} is not open in this process: open it in the shell that runs daemonspec, e.g. daemonspec run --keep-fd ${fd} -- CMD ${fd}<FILE`);
    }
  }
}
