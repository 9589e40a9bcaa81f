import { MARKER_NAME } from '../../src/check/traps.js';
import { kill } from '../../src/ffi/libc.js';
import { processesWhere } from '../../src/inspect/index.js';
import { stdinHeldShell } from '../support/stdin-held.js';

/**
 * A session leader, /bin/sh carrying the check marker `marker`, that waits for EOF on its stdin
 * (`go()`), then leaves the shell command `background` running and exits: a daemon's start in
 * miniature. At the test's end the launcher and everything left in its session are killed.
 */
export function leavingLauncher(background: string, marker: string): { pid: number; go(): void } {
  const launcher = stdinHeldShell(`read _; ${background} </dev/null >/dev/null 2>&1 & exit 0`, {
    env: { PATH: '/usr/bin:/bin', [MARKER_NAME]: marker },
    setsid: true,
    afterEnd: () => {
      for (const p of processesWhere((q) => q.sid === launcher.pid && q.pid !== launcher.pid)) kill(p.pid, 9);
    },
  });
  return { pid: launcher.pid, go: launcher.release };
}
