import { existsSync, readFileSync } from 'node:fs';
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

/**
 * Whether a setpriv binary knows --pdeathsig (util-linux 2.33 and later): its usage text, which
 * lists every option it parses, is in the binary. Reading it costs a fraction of a millisecond;
 * running setpriv once to see costs 10-18 ms, paid by every start.
 */
export function knowsPdeathsig(binary: Buffer): boolean {
  return binary.includes('--pdeathsig');
}

/** Whether this system's setpriv ties a child's life to its parent's; run it once where it cannot be read. */
async function probe(): Promise<readonly string[]> {
  if (currentOs() !== 'linux' || !existsSync(SETPRIV)) return [];
  try {
    return knowsPdeathsig(readFileSync(SETPRIV)) ? PREFIX : [];
  } catch {
    return (await runsWithPdeathsig()) ? PREFIX : [];
  }
}

/** setpriv --pdeathsig KILL -- /bin/sh -c 'exit 0', run: true when it exits 0. */
async function runsWithPdeathsig(): Promise<boolean> {
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
    return (await reap(pid)).exitCode === 0;
  } catch {
    return false;
  }
}
