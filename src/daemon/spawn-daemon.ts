import type { StartedDaemon } from './launch.js';
import type { SpawnDaemonOptions } from './options.js';
import type { Arg } from './raw-bytes.js';
import { beforeStart } from './refused.js';

/**
 * Daemonizes any program and resolves with its pid once it is ready: the exec happened and the
 * pidfile is written; with `notify`, once the program sent sd_notify `READY=1`; with `readyLog`,
 * `readyTcp`, `readyFile` or `aliveFor`, once that condition holds (the program's death first fails
 * the start).
 * Rejects with a DaemonspecError (ECWD, ELOG, EPIDFILE, EPIDFILE_LOCKED, EUSER, EEXEC, EDIED,
 * EFAILED, ETIMEOUT, EUSAGE) after undoing everything; all checks run before anything is spawned,
 * and what they refuse has `refused: true`.
 *
 * `command` and `args` are passed on byte for byte: give bytes that are not UTF-8 as a Buffer
 * (a string can only carry UTF-8; one with a lone surrogate, which has no bytes, is refused
 * with EUSAGE rather than changed to U+FFFD). Paths in the options are strings.
 *
 * @example
 * ```ts
 * const { pid } = await spawnDaemon('/usr/bin/sleep', ['300'], { pidfile: '/tmp/sleep.pid' });
 * ```
 */
export async function spawnDaemon(command: Arg, args: readonly Arg[] = [], options: SpawnDaemonOptions = {}): Promise<StartedDaemon> {
  // The start is loaded on the first call, not when daemonspec is imported (issue 14.1).
  const [{ planStart }, { launch }, { checkOptionKeys }] = await Promise.all([import('./validate.js'), import('./launch.js'), import('./option-keys.js')]);
  const plan = await beforeStart(() => {
    checkOptionKeys(options, 'spawnDaemon');
    return planStart(command, args, options);
  });
  return launch(plan, { node: false });
}
