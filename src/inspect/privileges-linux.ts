import { readFileSync, statSync } from 'node:fs';
import { noSuchProcess } from './no-such-process.js';
import type { CapabilitySets, Privileges } from './privileges-types.js';

function read(path: string, pid: number): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ESRCH') throw noSuchProcess(pid);
    throw error;
  }
}

function field(status: string, name: string): string | null {
  const match = new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status);
  return match ? match[1]!.trim() : null;
}

function capabilities(status: string): CapabilitySets | null {
  const [effective, permitted, ambient, inheritable, bounding] = ['CapEff', 'CapPrm', 'CapAmb', 'CapInh', 'CapBnd'].map((n) => field(status, n));
  if (effective == null || permitted == null || inheritable == null || bounding == null) return null;
  // CapAmb appeared in Linux 4.3: before it, no ambient set exists.
  return { effective, permitted, ambient: ambient ?? '0000000000000000', inheritable, bounding };
}

/** `Max core file size  0  unlimited  bytes` from /proc/PID/limits. */
function coreLimit(limits: string): Privileges['coreLimit'] {
  const match = /^Max core file size\s+(\S+)\s+(\S+)/m.exec(limits);
  if (!match) return null;
  const value = (text: string): number | 'unlimited' => (text === 'unlimited' ? 'unlimited' : Number(text));
  return { soft: value(match[1]!), hard: value(match[2]!) };
}

/**
 * The files of /proc/PID (status, environ, fd) are owned by the process's effective uid while it
 * is dumpable, by root when it is not (proc(5), PR_SET_DUMPABLE). The directory itself is not a
 * witness: on Linux 6.18 it stays the euid's (measured). Undecidable for a process whose euid is root.
 */
function dumpable(pid: number, status: string): { value: boolean | null; why?: string } {
  const euid = Number(field(status, 'Uid')?.split(/\s+/)[1] ?? NaN);
  if (!Number.isInteger(euid)) return { value: null, why: 'no Uid line in /proc/PID/status' };
  if (euid === 0) return { value: null, why: 'the process runs as root: /proc/PID is owned by root either way' };
  return { value: statSync(`/proc/${pid}/status`).uid === euid };
}

/** Capabilities and NoNewPrivs from /proc/PID/status, RLIMIT_CORE from /proc/PID/limits. */
export function linuxPrivileges(pid: number): Privileges {
  const status = read(`/proc/${pid}/status`, pid);
  const unknown: Record<string, string> = {};
  const caps = capabilities(status);
  if (caps === null) unknown.capabilities = 'no Cap* lines in /proc/PID/status';
  const nnp = field(status, 'NoNewPrivs');
  if (nnp === null) unknown.noNewPrivs = 'no NoNewPrivs line in /proc/PID/status (Linux before 4.10)';
  let core: Privileges['coreLimit'] = null;
  try {
    core = coreLimit(read(`/proc/${pid}/limits`, pid));
    if (core === null) unknown.coreLimit = 'no "Max core file size" line in /proc/PID/limits';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EACCES') throw error;
    unknown.coreLimit = '/proc/PID/limits is not readable by this user';
  }
  const dump = dumpable(pid, status);
  if (dump.why !== undefined) unknown.dumpable = dump.why;
  return { capabilities: caps, noNewPrivs: nnp === null ? null : nnp === '1', coreLimit: core, dumpable: dump.value, unknown };
}
