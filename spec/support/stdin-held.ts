import { onTestFinished } from 'vitest';
import { O } from '../../src/ffi/constants.js';
import { closeQuietly, kill, pipe, processExists, reap } from '../../src/ffi/libc.js';
import { spawn } from '../../src/ffi/spawn.js';

export interface StdinHeldOptions {
  env?: Record<string, string>;
  setsid?: boolean;
  /** More fds to hand over (after stdin, stdout and stderr). */
  fileActions?: { op: 'dup2'; from: number; to: number }[];
  /** Run when the test ends, once the shell is gone (a sweep of what it left). */
  afterEnd?: () => void;
}

/**
 * /bin/sh running `script` with its stdin on a pipe whose write end the test holds: `release()`
 * closes it (an EOF for a `read`). Portable (posix_spawn, no /proc). When the test ends it is
 * released, SIGKILLed if still there and reaped, then `afterEnd` runs.
 */
export function stdinHeldShell(script: string, options: StdinHeldOptions = {}): { pid: number; release(): void } {
  const [readFd, writeFd] = pipe();
  const pid = spawn({
    path: '/bin/sh',
    argv: ['sh', '-c', script],
    env: options.env ?? { PATH: '/usr/bin:/bin' },
    ...(options.setsid ? { setsid: true } : {}),
    closeOtherFds: true,
    fileActions: [
      { op: 'dup2', from: readFd, to: 0 },
      { op: 'open', fd: 1, path: '/dev/null', flags: O.WRONLY },
      { op: 'dup2', from: 1, to: 2 },
      ...(options.fileActions ?? []),
    ],
  });
  closeQuietly(readFd);
  const exited = reap(pid);
  let open = true;
  const release = (): void => {
    if (open) closeQuietly(writeFd);
    open = false;
  };
  onTestFinished(async () => {
    release();
    if (processExists(pid)) kill(pid, 9);
    await exited;
    options.afterEnd?.();
  });
  return { pid, release };
}
