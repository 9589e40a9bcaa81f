import { existsSync } from 'node:fs';
import { reap } from '../ffi/libc.js';
import { currentOs } from '../ffi/platform.js';
import { spawn } from '../ffi/spawn.js';
import { SETPRIV_PATH as SETPRIV } from './chain.js';

/*
 * The outer sh of the chain must not outlive a starter that is SIGKILLed (issue 13): once the
 * daemon runs, the outer sh only waits for it, and nothing else would ever end it. On Linux the
 * outer is started as `setpriv --pdeathsig KILL -- /bin/sh ...`: the kernel sends it SIGKILL when
 * the thread that spawned it (the starter's main thread, where posix_spawn runs) dies. posix_spawn
 * itself cannot set PR_SET_PDEATHSIG, and no JavaScript may run in a forked child. The death signal
 * survives the exec of sh and is not inherited by the inner sh or the daemon (fork clears it).
 *
 * macOS has no parent-death signal: there the outer sh of a start whose starter was SIGKILLed
 * after the daemon was released lives until the daemon exits (docs/limits.md).
 */

const PREFIX = [SETPRIV, '--pdeathsig', 'KILL', '--'] as const;

let probed: Promise<readonly string[]> | null = null;

/** The argv prefix that ties the outer sh's life to its starter's, or [] where the system has none. */
export function parentDeathPrefix(): Promise<readonly string[]> {
  probed ??= probe();
  return probed;
}

/** setpriv learned --pdeathsig in util-linux 2.33: try it once (a few ms) rather than trust its presence. */
async function probe(): Promise<readonly string[]> {
  if (currentOs() !== 'linux' || !existsSync(SETPRIV)) return [];
  try {
    const pid = spawn({
      path: SETPRIV,
      argv: [...PREFIX, '/bin/sh', '-c', 'exit 0'],
      env: {},
      fileActions: [
        { op: 'open', fd: 0, path: '/dev/null', flags: 0 },
        { op: 'open', fd: 1, path: '/dev/null', flags: 1 },
        { op: 'open', fd: 2, path: '/dev/null', flags: 1 },
      ],
      closeOtherFds: true,
    });
    const result = await reap(pid);
    return result.exitCode === 0 ? PREFIX : [];
  } catch {
    return [];
  }
}
