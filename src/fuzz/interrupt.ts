import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { liveWorkDirs } from '../check/run-once.js';
import { envValue, processesWhere } from '../inspect/index.js';
import { liveRunDirs } from './run-caller.js';

/** The variable that marks every process of one fuzz (each run's launcher, command and daemon inherit it). */
export const FUZZ_MARKER = 'DAEMONSPEC_FUZZ_ID';

/**
 * On SIGINT or SIGTERM while a fuzz runs, SIGKILLs every process carrying this fuzz's marker
 * (the checks in flight, their daemons) and exits 130: an interrupted fuzz leaves nothing
 * running, and removes the runs' temporary directories. Returns the marker's value for the runs' environment and a function to remove the handlers.
 */
export function killMarkedOnInterrupt(): { value: string; dispose: () => void } {
  const value = randomBytes(8).toString('hex');
  const handler = (signal: NodeJS.Signals): void => {
    const marked = processesWhere((p) => p.pid !== process.pid && envValue(p.pid, FUZZ_MARKER) === value);
    for (const p of marked) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    for (const dir of [...liveWorkDirs, ...liveRunDirs]) rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`daemonspec: fuzz interrupted by ${signal}; stopped ${marked.length} process${marked.length === 1 ? '' : 'es'} it had started\n`);
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
