/**
 * Process inspection: what a process looks like from outside, one Snapshot type for every OS
 * (linux.ts reads /proc, darwin.ts calls libproc and sysctl), and cheap process searches.
 */
import { backend } from './current.js';
import type { Snapshot } from './snapshot.js';

export type { FdInfo, FdKind, SignalState, Snapshot, TtyInfo } from './snapshot.js';
export {
  childrenOf,
  commandLine,
  commandLineBytes,
  descendantsOf,
  envValue,
  fileOpeners,
  hasEnvMarker,
  isRunning,
  isZombie,
  openFileLimitsOf,
  messageQueueLimitsOf,
  processesWhere,
  processStartTime,
  processSummary,
  tracerOf,
  type FileOpener,
  type ProcessSummary,
} from './processes.js';
export { isNoSuchProcess } from './no-such-process.js';
export { formatSnapshot } from './format.js';
export { emptyMask, readPrivileges, type CapabilitySets, type Privileges } from './privileges.js';

/**
 * Reads everything daemonspec judges about `pid`, synchronously (under a millisecond for a
 * process with a few fds on Linux).
 *
 * Throws `DaemonspecError` code `ESYSCALL`, errno `ESRCH`, with `pid` when the process does not
 * exist or exits while being read (test with {@link isNoSuchProcess}); `EUSAGE` for a pid that is
 * not a positive integer. Fields the OS cannot show are null with the reason in `unknown`.
 * @example const s = inspect(pid); if (s.sid === s.pid) console.log('session leader');
 */
export function inspect(pid: number): Snapshot {
  return backend.inspect(pid);
}
