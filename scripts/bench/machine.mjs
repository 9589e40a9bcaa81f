/** The machine a benchmark ran on: for the published table. */
import { availableParallelism, release } from 'node:os';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/**
 * The machine, as the report prints it (model, memory and load 'unknown' when not readable).
 * `rlimitNofileHard` is undefined when sh cannot run; `loadEnd` is set by the caller at the end.
 * @typedef {object} Machine
 * @property {string} date ISO 8601, when describeMachine() ran
 * @property {string} cpus `nproc` (or Node's availableParallelism())
 * @property {string} model
 * @property {string} memory e.g. "7.8 GiB"
 * @property {string} kernel
 * @property {string} node
 * @property {string | undefined} rlimitNofileHard `ulimit -Hn`
 * @property {string} loadStart
 * @property {string} [loadEnd]
 */

/** @returns {Machine} */
export function describeMachine() {
  let model = 'unknown';
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? model;
  } catch {
    // not Linux
  }
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout?.trim() || String(availableParallelism());
  const memKiB = Number(/^MemTotal:\s+(\d+)/m.exec(safeRead('/proc/meminfo'))?.[1] ?? 0);
  const hard = spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout?.trim();
  return {
    date: new Date().toISOString(),
    cpus: nproc,
    model,
    memory: memKiB ? `${(memKiB / 1024 / 1024).toFixed(1)} GiB` : 'unknown',
    kernel: release(),
    node: process.version,
    rlimitNofileHard: hard,
    loadStart: loadAverage(),
  };
}

/**
 * @param {string} path
 * @returns {string} the file's text, or '' when it cannot be read
 */
function safeRead(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * /proc/loadavg's 1-minute figure: other work on the machine while the benchmark ran.
 * @returns {string}
 */
export function loadAverage() {
  return safeRead('/proc/loadavg').split(' ')[0] || 'unknown';
}
