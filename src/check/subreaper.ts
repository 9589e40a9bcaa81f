import { isChildSubreaper, setChildSubreaper } from '../ffi/libc.js';
import { usageError } from '../errors.js';
import { currentOs } from '../ffi/platform.js';

/**
 * Makes the checking process the reaper of orphaned descendants (Linux PR_SET_CHILD_SUBREAPER),
 * so a daemon that detaches is adopted here, not by PID 1, and can be found and reaped.
 *
 * This is PROCESS-GLOBAL state: it is set on the first check and kept for the life of the
 * process (turning it off while another check runs would lose that check's daemon). A program
 * that embeds checkDaemon() therefore adopts every orphan of its descendants from then on;
 * orphans that are not a check's are left to the program (checks reap only their own).
 * Elsewhere (macOS) daemons go to launchd and are found by the environment marker.
 */
export function becomeSubreaper(): boolean {
  if (currentOs() !== 'linux') return false;
  if (!isChildSubreaper()) setChildSubreaper(true);
  return true;
}

/**
 * Whether a check on this host has a subreaper above its caller that is not PID 1: on Linux the
 * checker (becomeSubreaper), unless it is PID 1 itself (a PID namespace, a container without
 * --init), where orphans go to it as init. Elsewhere daemons go to launchd.
 */
export function hostSubreaper(): boolean {
  return currentOs() === 'linux' && process.pid !== 1;
}

/**
 * A planted caller's `subreaper` must be what this checker is (hostSubreaper): checkDaemon's
 * isolation layer moves a caller without one into a PID namespace; called directly, the host
 * checker cannot change where orphans go, so it refuses before anything starts.
 */
export function refuseUnrealisedSubreaper(subreaper: boolean): void {
  if (subreaper === hostSubreaper()) return;
  if (subreaper) {
    throw usageError(`a caller with a subreaper above it cannot be planted here: ${process.pid === 1 ? 'this checker is PID 1, so orphans go to it as init' : 'this system has no subreapers'}; give the caller "subreaper": false (--caller-no-subreaper)`);
  }
  throw usageError('a caller without a subreaper (--caller-no-subreaper) needs the checker to be PID 1: use checkDaemon, which runs the check in a fresh PID namespace');
}
