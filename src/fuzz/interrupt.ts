import { randomBytes } from 'node:crypto';
import { cleanUpOnInterrupt } from '../check/interrupt.js';
import { liveWorkDirs } from '../check/live-work-dirs.js';
import { envValue } from '../inspect/index.js';
import { liveRunDirs } from './run-caller.js';

/** The variable that marks every process of one fuzz (each run's launcher, command and daemon inherit it). */
export const FUZZ_MARKER = 'DAEMONSPEC_FUZZ_ID';

/**
 * On SIGINT or SIGTERM while a fuzz runs, SIGKILLs every process carrying this fuzz's marker
 * (the checks in flight, their daemons; checks in containers first get the signal and time to
 * end) and exits 130: an interrupted fuzz leaves nothing running, and removes the runs'
 * temporary directories. Returns the marker's value for the runs' environment and a function to
 * remove the handlers.
 */
export function killMarkedOnInterrupt(): { value: string; dispose: () => void } {
  const value = randomBytes(8).toString('hex');
  const dispose = cleanUpOnInterrupt({
    command: 'fuzz',
    ours: (p) => envValue(p.pid, FUZZ_MARKER) === value,
    dirs: () => [...liveWorkDirs, ...liveRunDirs],
  });
  return { value, dispose };
}
