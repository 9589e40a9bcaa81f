import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { liveWorkDirs } from '../check/live-work-dirs.js';
import { envValue, processesWhere } from '../inspect/index.js';
import { liveRunDirs } from './run-caller.js';

/** The variable that marks every process of one fuzz (each run's launcher, command and daemon inherit it). */
export const FUZZ_MARKER = 'DAEMONSPEC_FUZZ_ID';

/** How long the interrupt goes on finding marked processes that a killed one forked just before it died. */
const KILL_DEADLINE_MS = 2000;

/**
 * SIGKILLs every live process carrying the marker, scanning again until a scan finds none: a
 * process killed in the middle of a fork (a daemonizer's first fork) may leave a child the first
 * scan did not see, which would run on. Returns how many processes were signalled.
 */
function killMarked(value: string): number {
  const stopped = new Set<number>();
  const deadline = Date.now() + KILL_DEADLINE_MS;
  for (;;) {
    const marked = processesWhere((p) => p.pid !== process.pid && p.state !== 'Z' && envValue(p.pid, FUZZ_MARKER) === value);
    if (marked.length === 0 || Date.now() > deadline) return stopped.size;
    for (const p of marked) {
      stopped.add(p.pid);
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
}

/**
 * On SIGINT or SIGTERM while a fuzz runs, SIGKILLs every process carrying this fuzz's marker
 * (the checks in flight, their daemons) and exits 130: an interrupted fuzz leaves nothing
 * running, and removes the runs' temporary directories. Returns the marker's value for the runs' environment and a function to remove the handlers.
 */
export function killMarkedOnInterrupt(): { value: string; dispose: () => void } {
  const value = randomBytes(8).toString('hex');
  const handler = (signal: NodeJS.Signals): void => {
    const stopped = killMarked(value);
    for (const dir of [...liveWorkDirs, ...liveRunDirs]) rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`daemonspec: fuzz interrupted by ${signal}; stopped ${stopped} process${stopped === 1 ? '' : 'es'} it had started\n`);
    process.exit(130);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    value,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
