import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { envValue, isRunning, processesWhere, processSummary } from '../../src/inspect/index.js';

/*
 * A test's own reading of /proc, with no library code in between: the daemonizer's and the
 * fixtures' tests judge processes with it, independently of src/inspect (which has tests of
 * its own against ps, lsof and psutil).
 */

/** Fields of /proc/PID/stat after the command name: [state, ppid, pgrp, session, tty_nr, tpgid, ...]. */
export function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

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

const PF_KTHREAD = 0x00200000;
const EXEC_RETRIES = 200;
const ENV_END = 51 - 3; // statFields() starts at field 3 (state)

/**
 * The environment of a process. During execve the new image's environment is not in place yet:
 * /proc/PID/environ reads empty and stat's env_end (field 51) is 0 (proc's environ_read returns
 * nothing while `!mm->env_end`). Such a process, not a zombie or kernel thread, is read again
 * until its exec completes; a process whose environment really is empty has env_end set.
 */
function environOf(pid: number): string[] {
  for (let attempt = 0; attempt < EXEC_RETRIES; attempt++) {
    const text = readFileSync(`/proc/${pid}/environ`, 'latin1');
    const stat = statFields(pid);
    const inExec = text === '' && stat[0] !== 'Z' && (Number(stat[6]) & PF_KTHREAD) === 0 && stat[ENV_END] === '0';
    if (!inExec) return text.split('\0');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
  }
  return [];
}

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
