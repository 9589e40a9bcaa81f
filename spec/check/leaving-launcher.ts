import { onTestFinished } from 'vitest';
import { MARKER_NAME } from '../../src/check/traps.js';
import { O } from '../../src/ffi/constants.js';
import { closeQuietly, kill, pipe, processExists, reap } from '../../src/ffi/libc.js';
import { spawn } from '../../src/ffi/spawn.js';
import { processesWhere } from '../../src/inspect/index.js';

/**
 * A session leader, /bin/sh carrying the check marker `marker`, that waits for EOF on its stdin
 * (`go()`), then leaves the shell command `background` running and exits: a daemon's start in
 * miniature. At the test's end the launcher and everything left in its session are killed.
 */
export function leavingLauncher(background: string, marker: string): { pid: number; go(): void } {
  const [readFd, writeFd] = pipe();
  const pid = spawn({
    path: '/bin/sh',
    argv: ['sh', '-c', `read _; ${background} </dev/null >/dev/null 2>&1 & exit 0`],
    env: { PATH: '/usr/bin:/bin', [MARKER_NAME]: marker },
    setsid: true,
    closeOtherFds: true,
    fileActions: [
      { op: 'dup2', from: readFd, to: 0 },
      { op: 'open', fd: 1, path: '/dev/null', flags: O.WRONLY },
      { op: 'dup2', from: 1, to: 2 },
    ],
  });
  closeQuietly(readFd);
  const exited = reap(pid);
  let open = true;
  const go = (): void => {
    if (open) closeQuietly(writeFd);
    open = false;
  };
  onTestFinished(async () => {
    go();
    if (processExists(pid)) kill(pid, 9);
    await exited;
    for (const p of processesWhere((q) => q.sid === pid && q.pid !== pid)) kill(p.pid, 9);
  });
  return { pid, go };
}
