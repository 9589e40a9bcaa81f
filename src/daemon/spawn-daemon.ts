import { launch, type StartedDaemon } from './launch.js';
import type { DaemonOptions } from './options.js';
import { planStart } from './validate.js';

/**
 * Daemonizes any program and resolves with its pid once it is running: the exec happened and the
 * pidfile is written, or, with `notify`, the program sent sd_notify `READY=1`.
 * Rejects with a DaemonspecError (ECWD, ELOG, EPIDFILE, EPIDFILE_LOCKED, EUSER, EEXEC, EDIED,
 * EFAILED, ETIMEOUT, EUSAGE) after undoing everything; all checks run before anything is spawned.
 *
 * @example
 * ```ts
 * const { pid } = await spawnDaemon('/usr/bin/sleep', ['300'], { pidfile: '/tmp/sleep.pid' });
 * ```
 */
export async function spawnDaemon(command: string, args: readonly string[] = [], options: DaemonOptions = {}): Promise<StartedDaemon> {
  const plan = planStart(command, args, options);
  return launch(plan, { node: false });
}
