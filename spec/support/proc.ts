import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { envValue, isRunning, processesWhere, processSummary } from '../../src/inspect/index.js';
import { environOf, statFields } from './environ.mjs';

/*
 * A test's own reading of /proc, with no library code in between: the daemonizer's and the
 * fixtures' tests judge processes with it, independently of src/inspect (which has tests of
 * its own against ps, lsof and psutil).
 */

export { statFields };

/** What /proc says about a process. */
export interface ProcView {
  pid: number;
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  ttyNr: number;
  tpgid: number;
  umask: number;
  sigBlk: bigint;
  sigIgn: bigint;
  uid: number[];
  gid: number[];
  groups: number[];
  cwd: string;
  /** fd number → readlink of /proc/PID/fd/N. */
  fds: Map<number, string>;
  cmdline: string[];
  environ: string[];
}

export function procView(pid: number): ProcView {
  const f = statFields(pid);
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const field = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '';
  const fds = new Map<number, string>();
  for (const entry of readdirSync(`/proc/${pid}/fd`)) {
    try {
      fds.set(Number(entry), readlinkSync(`/proc/${pid}/fd/${entry}`));
    } catch {
      // closed meanwhile
    }
  }
  return {
    pid,
    state: f[0]!,
    ppid: Number(f[1]),
    pgid: Number(f[2]),
    sid: Number(f[3]),
    ttyNr: Number(f[4]),
    tpgid: Number(f[5]),
    umask: parseInt(field('Umask'), 8),
    sigBlk: BigInt(`0x${field('SigBlk')}`),
    sigIgn: BigInt(`0x${field('SigIgn')}`),
    uid: field('Uid').split(/\s+/).map(Number),
    gid: field('Gid').split(/\s+/).map(Number),
    groups: field('Groups').split(/\s+/).filter(Boolean).map(Number),
    cwd: readlinkSync(`/proc/${pid}/cwd`),
    fds,
    cmdline: readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').slice(0, -1),
    environ: readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0'),
  };
}

/** The bit of a signal in a /proc mask (SigBlk, SigIgn). */
export function sigBit(signal: number): bigint {
  return 1n << BigInt(signal - 1);
}

const linux = process.platform === 'linux';

/**
 * Live processes (this one excepted) whose environment, as at their execve, holds `name=value`:
 * how tests find everything they started, escaped daemons included.
 */
export function taggedPids(name: string, value: string): number[] {
  if (!linux) {
    // macOS has no /proc: sysctl KERN_PROCARGS2 through src/inspect (the env as at execve there too).
    return processesWhere((p) => p.pid !== process.pid && p.state !== 'Z' && envValue(p.pid, name) === value).map((p) => p.pid);
  }
  const needle = `${name}=${value}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (environOf(pid).includes(needle) && isRunning(pid)) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** The parent of `pid` (Linux: /proc/PID/stat; elsewhere src/inspect), or null when it is gone. */
export function parentOf(pid: number): number | null {
  if (!linux) return processSummary(pid)?.ppid ?? null;
  try {
    return Number(statFields(pid)[1]);
  } catch {
    return null;
  }
}
