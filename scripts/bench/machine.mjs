/** The machine a benchmark ran on: for the published table. */
import { availableParallelism, release } from 'node:os';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

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

function safeRead(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** /proc/loadavg's 1-minute figure: other work on the machine while the benchmark ran. */
export function loadAverage() {
  return safeRead('/proc/loadavg').split(' ')[0] || 'unknown';
}
