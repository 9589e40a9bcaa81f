import { isChildSubreaper, setChildSubreaper } from '../ffi/libc.js';
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
