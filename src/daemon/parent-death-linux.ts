import { SIGNALS } from '../ffi/constants.js';
import { closeQuietly, pipe, setIoOwner, signalOwnerOnIo } from '../ffi/libc.js';

/**
 * Linux: the read end is O_ASYNC with F_SETSIG SIGKILL and F_SETOWN the outer sh, so when the
 * starter dies and its write end, the last, closes, the kernel sends the outer SIGKILL (fs/pipe.c
 * pipe_release → kill_fasync). SIGKILL, not SIGIO: it also ends an outer that the let-go has
 * stopped for a moment. The tie follows the starter process, whichever of its threads spawned
 * the chain. It costs a pipe and four fcntl calls; `setpriv --pdeathsig KILL` in front of the
 * outer, used before, cost one more exec per start (about 3 ms here: issue 14.1).
 */
export function openLinuxLifeLine(): { chainSide: number; bind(outer: number): void; close(): void } | null {
  const [read, write] = pipe();
  let readEnd = read;
  let writeEnd = write;
  try {
    signalOwnerOnIo(read, SIGNALS.SIGKILL);
  } catch {
    // A kernel (or a sandbox's) that refuses O_ASYNC or F_SETSIG on a pipe: no tie, as on macOS.
    closeQuietly(read);
    closeQuietly(write);
    return null;
  }
  return {
    chainSide: read,
    bind(outer) {
      setIoOwner(readEnd, outer);
      closeQuietly(readEnd);
      readEnd = -1;
    },
    close() {
      closeQuietly(readEnd);
      closeQuietly(writeEnd);
      readEnd = writeEnd = -1;
    },
  };
}
