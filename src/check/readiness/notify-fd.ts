import { readSync } from 'node:fs';
import { closeQuietly, dupAtLeast, pipe, setNonblock } from '../../ffi/libc.js';
import { fdLayout } from '../fd-layout.js';

/** The s6-style readiness fds a command may be given (`check --notify-fd N`): below the leaked-fd traps (10 and up). */
export const NOTIFY_FD_RANGE = { min: 3, max: 9 } as const;

/** What the notification pipe held at one moment. */
export interface NotifyFdState {
  /** Everything read so far. */
  text: string;
  /** Every write end was closed (end of file). */
  closed: boolean;
}

/**
 * s6's readiness protocol from the outside: the command gets the write end of a pipe at fd N;
 * a newline written to it means ready, an end of file without one a failed start. The checker
 * keeps the read end (non-blocking, close-on-exec, above 1023) and samples it when it wants.
 */
export class NotifyFd {
  readonly writeFd: number;
  private readonly readFd: number;
  private text = '';
  private closed = false;
  private writeOpen = true;

  /** `checkerFrom`: its fds go there and up, above every fd the caller is given (src/check/fd-layout.ts). */
  constructor(checkerFrom: number = fdLayout().checkerFrom) {
    const [rawRead, rawWrite] = pipe();
    this.readFd = dupAtLeast(rawRead, checkerFrom); // close-on-exec, as the pipe's own ends are
    closeQuietly(rawRead);
    setNonblock(this.readFd, true);
    this.writeFd = dupAtLeast(rawWrite, checkerFrom);
    closeQuietly(rawWrite);
  }

  /** Closes the checker's copy of the write end (once the launcher holds its own). */
  releaseWriteEnd(): void {
    if (!this.writeOpen) return;
    this.writeOpen = false;
    closeQuietly(this.writeFd);
  }

  /** Reads what is there now, without waiting. */
  sample(): NotifyFdState {
    const buffer = Buffer.alloc(4096);
    while (!this.closed) {
      let n: number;
      try {
        n = readSync(this.readFd, buffer, 0, buffer.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break;
        throw error;
      }
      if (n === 0) this.closed = true;
      else this.text += buffer.toString('latin1', 0, n);
    }
    return { text: this.text, closed: this.closed };
  }

  close(): void {
    this.releaseWriteEnd();
    closeQuietly(this.readFd);
  }
}
