import { readFileSync } from 'node:fs';
import { processesWhere } from '../../src/inspect/index.js';

/**
 * Live processes whose command line names this script: any run of a fuzz left behind. By
 * script, not by pid: a report's pids from a PID namespace or a container are not the host's.
 */
export function runningScript(script: string): number[] {
  return processesWhere((p) => p.name.startsWith('python3') && p.state !== 'Z').filter((p) => {
    try {
      return readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes(script);
    } catch {
      return false;
    }
  }).map((p) => p.pid);
}

