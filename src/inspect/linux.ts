import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync, type Stats } from 'node:fs';
import { DaemonspecError } from '../errors.js';
import type { FileOpener, InspectBackend, ProcessSummary, ResourceLimitName } from './backend.js';
import { assertPid, noSuchProcess } from './no-such-process.js';
import { environText } from './linux-environ.js';
import { maskReplacingWait } from './mask-wait-linux.js';
import { parseFdinfoFlags, parseStat, parseStatus, splitNul, type StatFields } from './proc-parse.js';
import type { FdInfo, FdKind, Snapshot } from './snapshot.js';
import { isTtyDevice, ttyNameLinux } from './tty-name-linux.js';

// Open-file flag bits as /proc/P/fdinfo/N reports them (octal, asm-generic values; proc(5)).
const O_ACCMODE = 0o3;
const O_APPEND = 0o2000;
const O_NONBLOCK = 0o4000;
const O_CLOEXEC = 0o2000000;

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/** ENOENT/ESRCH from /proc mean the process (or the item) is gone. */
function isGoneCode(error: unknown): boolean {
  const c = code(error);
  return c === 'ENOENT' || c === 'ESRCH';
}

function isDeniedCode(error: unknown): boolean {
  const c = code(error);
  return c === 'EACCES' || c === 'EPERM';
}

function procError(pid: number, path: string, error: unknown): DaemonspecError {
  if (isGoneCode(error)) return noSuchProcess(pid, error);
  return new DaemonspecError('ESYSCALL', `reading ${path} failed: ${code(error) ?? String(error)}`, {
    errno: code(error) ?? 'EIO',
    syscall: 'read',
    path,
    pid,
    cause: error,
  });
}

/** One buffer for every /proc/P/stat read: a process scan reads hundreds of them. */
const STAT_BUFFER = Buffer.allocUnsafe(4096);

/**
 * /proc/P/stat in one read(2) into STAT_BUFFER: the kernel builds the whole line (well under
 * 4 KiB) at the first read. readFileSync would fstat, allocate and read again until end of file:
 * most of a scan's CPU time, and scans are most of a check's.
 */
function readStatText(pid: number): string {
  const fd = openSync(`/proc/${pid}/stat`, 'r');
  try {
    const n = readSync(fd, STAT_BUFFER, 0, STAT_BUFFER.length, null);
    return STAT_BUFFER.toString('latin1', 0, n);
  } finally {
    closeSync(fd);
  }
}

function readStat(pid: number): StatFields | null {
  try {
    return parseStat(readStatText(pid));
  } catch (error) {
    if (isGoneCode(error)) return null;
    throw procError(pid, `/proc/${pid}/stat`, error);
  }
}

const DENIED = 'permission denied: the process belongs to another user (run as root)';

/** readlink that reports why it failed instead of throwing, for the optional fields. */
function readLinkField(path: string): { value: string | null; why?: string } {
  try {
    return { value: readlinkSync(path) };
  } catch (error) {
    if (isDeniedCode(error)) return { value: null, why: DENIED };
    return { value: null, why: `${path}: ${code(error) ?? String(error)}` };
  }
}

function kindOf(target: string, stats: Stats | undefined): FdKind {
  if (target.startsWith('pipe:')) return 'pipe';
  if (target.startsWith('socket:')) return 'socket';
  if (target.startsWith('anon_inode:')) return 'anon';
  if (!stats) return 'other';
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  if (stats.isFIFO()) return 'pipe';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice()) return isTtyDevice(stats.rdev) ? 'tty' : 'device';
  if (stats.isBlockDevice()) return 'device';
  return 'other';
}

function accessOf(flags: number): FdInfo['access'] {
  const mode = flags & O_ACCMODE;
  return mode === 0 ? 'r' : mode === 1 ? 'w' : mode === 2 ? 'rw' : null;
}

// fdinfo is a few dozen bytes: one open/read/close into a shared buffer is half the cost of readFileSync.
const fdinfoBuffer = Buffer.alloc(4096);

function readSmall(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, fdinfoBuffer, 0, fdinfoBuffer.length, null);
    return fdinfoBuffer.toString('latin1', 0, n);
  } finally {
    closeSync(fd);
  }
}

/** One fd, or null when it was closed while we read it. */
function readFd(dir: string, fd: number): FdInfo | null {
  let target: string;
  let info: string;
  try {
    target = readlinkSync(`${dir}/fd/${fd}`);
    info = readSmall(`${dir}/fdinfo/${fd}`);
  } catch (error) {
    if (isGoneCode(error)) return null;
    throw error;
  }
  let stats: Stats | undefined;
  try {
    // stat() follows the magic link to the open object itself: pipes and sockets have an inode too.
    stats = statSync(`${dir}/fd/${fd}`, { throwIfNoEntry: false });
  } catch {
    stats = undefined;
  }
  const flags = parseFdinfoFlags(info);
  const entry: FdInfo = {
    fd,
    target,
    kind: kindOf(target, stats),
    device: stats ? stats.dev : null,
    inode: stats ? stats.ino : null,
    cloexec: flags === null ? null : (flags & O_CLOEXEC) !== 0,
    append: flags === null ? null : (flags & O_APPEND) !== 0,
    access: flags === null ? null : accessOf(flags),
  };
  if (flags !== null) entry.nonblocking = (flags & O_NONBLOCK) !== 0;
  // Every eventfd shares one anonymous inode; Linux ≥ 6.1 names each one in fdinfo.
  const eventfdId = /^eventfd-id:\s*(\d+)/m.exec(info);
  if (eventfdId) entry.eventfdId = Number(eventfdId[1]);
  return entry;
}

function readFds(pid: number, zombie: boolean, unknown: Record<string, string>): FdInfo[] | null {
  const dir = `/proc/${pid}`;
  let names: string[];
  try {
    names = readdirSync(`${dir}/fd`);
  } catch (error) {
    if (isDeniedCode(error)) {
      unknown.fds = DENIED;
      return null;
    }
    if (isGoneCode(error) && zombie) {
      unknown.fds = 'zombie: the process has exited and holds no files';
      return null;
    }
    throw procError(pid, `${dir}/fd`, error);
  }
  const fds: FdInfo[] = [];
  for (const name of names) {
    const fd = Number(name);
    try {
      const info = readFd(dir, fd);
      if (info) fds.push(info);
    } catch (error) {
      if (isDeniedCode(error)) {
        unknown.fds = DENIED;
        return null;
      }
      throw procError(pid, `${dir}/fd/${fd}`, error);
    }
  }
  return fds.sort((a, b) => a.fd - b.fd);
}

/** The mask-replacing call the main thread waits in (mask-wait-linux.ts), or null: none, or /proc/PID/syscall unreadable (no ptrace access). */
function maskWait(dir: string): string | null {
  try {
    return maskReplacingWait(readFileSync(`${dir}/syscall`, 'latin1'));
  } catch {
    return null;
  }
}

function inspectLinux(pid: number): Snapshot {
  assertPid(pid);
  const dir = `/proc/${pid}`;
  const stat = readStat(pid);
  if (!stat) throw noSuchProcess(pid);
  const zombie = stat.state === 'Z';
  const unknown: Record<string, string> = {};

  let statusText: string;
  let cmdlineText: string;
  const waitBefore = maskWait(dir);
  try {
    statusText = readFileSync(`${dir}/status`, 'latin1');
    cmdlineText = readFileSync(`${dir}/cmdline`, 'utf8');
  } catch (error) {
    throw procError(pid, dir, error);
  }
  const status = parseStatus(statusText);
  // /proc/TID exists for every thread id too, though no listing shows it: a thread is not a process.
  if (status.tgid !== null && status.tgid !== pid) throw noSuchProcess(pid);
  if (status.umask === null) unknown.umask = 'this kernel has no Umask line in /proc/P/status (needs Linux 4.7)';
  const wait = waitBefore ?? maskWait(dir);

  const cwd = readLinkField(`${dir}/cwd`);
  const root = readLinkField(`${dir}/root`);
  const zombieWhy = 'zombie: the process has exited';
  if (cwd.why) unknown.cwd = zombie ? zombieWhy : cwd.why;
  if (root.why) unknown.root = zombie ? zombieWhy : root.why;

  const fds = readFds(pid, zombie, unknown);

  // Read last, compared with the first read: a process that exited (or whose pid was reused)
  // while we read must give the clean error, never a half snapshot of two processes.
  const again = readStat(pid);
  if (!again || again.startTime !== stat.startTime) throw noSuchProcess(pid);
  if (!zombie && again.state === 'Z') {
    // It exited during the read; cwd/fds may be missing for that reason alone.
    for (const key of ['cwd', 'root', 'fds']) if (unknown[key]) unknown[key] = zombieWhy;
  }

  const [ruid = 0, euid = ruid, suid = euid] = status.uids;
  const [rgid = 0, egid = rgid, sgid = egid] = status.gids;
  return {
    pid,
    ppid: stat.ppid,
    pgid: stat.pgid,
    sid: stat.sid,
    tpgid: stat.tpgid < 0 ? null : stat.tpgid,
    tty: stat.ttyNr === 0 ? null : { device: stat.ttyNr, name: ttyNameLinux(stat.ttyNr) },
    umask: status.umask,
    cwd: cwd.value,
    root: root.value,
    fds,
    signals: { blocked: status.blocked, ...(wait === null ? {} : { blockedWhileIn: wait }), ignored: status.ignored, caught: status.caught },
    uid: euid,
    gid: egid,
    groups: status.groups,
    uids: { real: ruid, effective: euid, saved: suid },
    gids: { real: rgid, effective: egid, saved: sgid },
    cmdline: splitNul(cmdlineText),
    state: again.state,
    startTime: stat.startTime,
    name: stat.name,
    threads: status.threads,
    unknown,
  };
}

function toSummary(stat: StatFields): ProcessSummary {
  return {
    pid: stat.pid,
    ppid: stat.ppid,
    pgid: stat.pgid,
    sid: stat.sid,
    ttyDevice: stat.ttyNr,
    state: stat.state,
    startTime: stat.startTime,
    name: stat.name,
  };
}

function listPids(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.push(Number(name));
  }
  return pids;
}

function listProcesses(): ProcessSummary[] {
  const out: ProcessSummary[] = [];
  for (const pid of listPids()) {
    const stat = readStat(pid);
    if (stat) out.push(toSummary(stat));
  }
  return out;
}

function childPids(pid: number): number[] {
  assertPid(pid);
  // /proc/P/task/T/children (CONFIG_PROC_CHILDREN) lists each thread's children: cheaper than a scan.
  try {
    const children: number[] = [];
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'latin1');
      for (const part of text.split(' ')) if (part.trim() !== '') children.push(Number(part));
    }
    return [...new Set(children)].sort((a, b) => a - b);
  } catch (error) {
    if (code(error) === 'ENOENT' && readStat(pid) === null) return [];
    // No children file on this kernel: scan every process's parent.
    return listProcesses()
      .filter((p) => p.ppid === pid)
      .map((p) => p.pid)
      .sort((a, b) => a - b);
  }
}

/** Room for a whole list file in one read(2); grown (and the file read again) when one fills it. */
let listBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * A /proc list file (cmdline, environ) in ONE read(2). The kernel takes the process's memory for
 * each read only (proc's environ_read: mmget_not_zero), so an exec between two of readFileSync's
 * 8 KiB reads would cut the text short, and the check's marker, last in a launcher's environment,
 * with it. From the kernel's code: 40,000 chunked reads of a re-exec'ing process never showed it.
 */
function readInOne(path: string): string {
  for (;;) {
    const fd = openSync(path, 'r');
    let n: number;
    try {
      n = readSync(fd, listBuffer, 0, listBuffer.length, 0);
    } finally {
      closeSync(fd);
    }
    if (n < listBuffer.length) return listBuffer.toString('utf8', 0, n);
    listBuffer = Buffer.allocUnsafe(listBuffer.length * 4);
  }
}

/** A NUL-separated list file's text of /proc/PID (cmdline, environ): '' when the process is gone, null when denied. */
function nulText(pid: number, file: 'cmdline' | 'environ'): string | null {
  assertPid(pid);
  try {
    return readInOne(`/proc/${pid}/${file}`);
  } catch (error) {
    if (isGoneCode(error)) return '';
    if (isDeniedCode(error)) return null;
    throw procError(pid, `/proc/${pid}/${file}`, error);
  }
}

/** The list in `text` ([] for ''), or null when it was denied. */
function nulList(text: string | null): string[] | null {
  return text === null ? null : splitNul(text);
}

/** /proc/PID/cmdline as bytes, split at the NULs. */
function argvBytes(pid: number): Buffer[] | null {
  assertPid(pid);
  let raw: Buffer;
  try {
    raw = readFileSync(`/proc/${pid}/cmdline`);
  } catch {
    return null;
  }
  const parts: Buffer[] = [];
  for (let start = 0; start < raw.length; ) {
    const end = raw.indexOf(0, start);
    parts.push(raw.subarray(start, end < 0 ? raw.length : end));
    start = end < 0 ? raw.length : end + 1;
  }
  return parts;
}

/** /proc/PID/fd of every process, stat()ed through the link (as fuser does). */
function openers(device: number, inode: number, pids?: readonly number[]): FileOpener[] {
  const out: FileOpener[] = [];
  for (const pid of pids ?? listPids()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        const st = statSync(`/proc/${pid}/fd/${fd}`);
        if (st.ino === inode && st.dev === device) out.push({ pid, fd: Number(fd), flock: holdsFlock(pid, fd) });
      } catch {
        // closed meanwhile
      }
    }
  }
  return out;
}

/** Whether fdinfo names an exclusive flock() held through this fd's open file description (false if it is gone). */
function holdsFlock(pid: number, fd: string): boolean {
  try {
    // WRITE: an exclusive lock, as a daemon's; a status's probe holds a shared one (READ) a moment.
    return /^lock:\s+\d+: FLOCK\s+ADVISORY\s+WRITE /m.test(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1'));
  } catch {
    return false;
  }
}

/** TracerPid of /proc/PID/status: null when 0 (not traced) or the process is gone. */
function tracer(pid: number): number | null {
  assertPid(pid);
  try {
    const match = /^TracerPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match && match[1] !== '0' ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** A line such as `Max open files  1024  524288  files` from /proc/PID/limits. */
function resourceLimit(pid: number, name: ResourceLimitName): { soft: number; hard: number } | null {
  assertPid(pid);
  try {
    const line = new RegExp(`^Max ${name}\\s+(\\d+|unlimited)\\s+(\\d+|unlimited)`, 'm').exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    const n = (v: string): number => (v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v));
    return line ? { soft: n(line[1]!), hard: n(line[2]!) } : null;
  } catch {
    return null;
  }
}

/** `eventfd-id:` of /proc/PID/fdinfo/FD (Linux ≥ 6.1), or null. */
function eventfdId(pid: number, fd: number): number | null {
  assertPid(pid);
  try {
    const match = /^eventfd-id:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export const linuxBackend: InspectBackend = {
  inspect: inspectLinux,
  summary(pid) {
    assertPid(pid);
    const stat = readStat(pid);
    return stat ? toSummary(stat) : null;
  },
  listProcesses,
  childPids,
  argv: (pid) => nulList(nulText(pid, 'cmdline')),
  environ: (pid) => nulList(environText({ text: () => nulText(pid, 'environ'), stat: () => readStat(pid) })),
  argvBytes,
  openers,
  fdsVisible(pid) {
    try {
      readdirSync(`/proc/${pid}/fd`);
      return true;
    } catch {
      return false;
    }
  },
  tracer,
  resourceLimit,
  eventfdId,
  openFd(pid, fd) {
    assertPid(pid);
    try {
      return readFd(`/proc/${pid}`, fd);
    } catch {
      return null;
    }
  },
};
