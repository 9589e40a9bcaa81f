import { errnoName, errnoValue, syscallError } from '../ffi/errno.js';
import { koffi } from '../ffi/koffi.js';
import { once } from '../ffi/once.js';
import {
  DARWIN_O_APPEND,
  DARWIN_O_NONBLOCK,
  FREAD,
  FWRITE,
  CTL_KERN,
  KERN_ARGMAX,
  KERN_PROC,
  KERN_PROC_PID,
  KERN_PROCARGS2,
  NODEV,
  P_CONTROLT,
  PROC_ALL_PIDS,
  PROC_FP_CLEXEC,
  PROC_PIDFDVNODEPATHINFO,
  PROC_PIDLISTFDS,
  PROC_PIDTBSDINFO,
  PROC_PIDVNODEPATHINFO,
  PROC_PPID_ONLY,
  PROX_FDTYPE,
  S_IFCHR,
  SIDL,
  SRUN,
  SSLEEP,
  SSTOP,
  SZOMB,
  EPROC_SLEADER,
  darwinCalls,
  darwinStructs,
  lastErrno,
} from '../ffi/libproc-darwin.js';
import type { FileOpener, InspectBackend, ProcessSummary } from './backend.js';
import { parseProcargs2, type Procargs } from './procargs-darwin.js';
import { assertPid, isNoSuchProcess, noSuchProcess } from './no-such-process.js';
import type { FdInfo, FdKind, Snapshot } from './snapshot.js';

/*
 * macOS backend: libproc and sysctl, per xnu's bsd/sys/proc_info.h and sysctl.h and psutil's
 * psutil/arch/osx/proc.c. Written and typechecked on Linux, never run here (no Mac). What
 * macOS cannot show from outside (umask, the blocked-signal mask) is null with a reason.
 */


type Kinfo = {
  kp_proc: { p_starttime: { tv_sec: number; tv_usec: number }; p_flag: number; p_stat: number; p_sigignore: number; p_sigcatch: number; p_comm: string };
  kp_eproc: {
    e_pcred: { p_ruid: number; p_svuid: number; p_rgid: number; p_svgid: number };
    e_ucred: { cr_uid: number; cr_ngroups: number; cr_groups: number[] };
    e_ppid: number;
    e_pgid: number;
    e_tdev: number;
    e_tpgid: number;
    e_flag: number;
  };
};
type BsdInfo = { pbi_flags: number; pbi_uid: number; pbi_gid: number; pbi_rgid: number; pbi_svgid: number };
type VnodePath = { vip_vi: { vi_stat: { vst_dev: number; vst_ino: number; vst_mode: number } }; vip_path: string };

/** Sizes and offsets of xnu's structures, computed on the first call (importing this runs no koffi code). */
const layout = once(() => {
  const k = koffi();
  const s = darwinStructs();
  return {
    KINFO_SIZE: k.sizeof(s.KinfoProc),
    BSDINFO_SIZE: k.sizeof(s.ProcBsdInfo),
    VNODEPATH_SIZE: k.sizeof(s.ProcVnodePathInfo),
    FDINFO_SIZE: k.sizeof(s.ProcFdInfo),
    // The opaque kernel handles are 64-bit hashes of kernel addresses (VM_KERNEL_ADDRHASH): read as
    // bigint, never as a number, which would round them and could make two pipes look alike.
    PIPE_HANDLE_OFFSET: k.offsetof(s.PipeFdInfo, 'pipe_handle'),
    SOCKET_HANDLE_OFFSET: k.offsetof(s.SocketFdInfo, 'soi_so'),
  };
});
// Every proc_pidfdinfo flavor starts with proc_fileinfo and needs at most 1200 bytes; the kernel
// accepts any larger buffer, so one size serves all.
const FD_BUFFER_SIZE = 2048;
const FD_FLAVOR: Partial<Record<number, number>> = {
  [PROX_FDTYPE.VNODE]: PROC_PIDFDVNODEPATHINFO,
  [PROX_FDTYPE.SOCKET]: 3,
  [PROX_FDTYPE.PSEM]: 4,
  [PROX_FDTYPE.PSHM]: 5,
  [PROX_FDTYPE.PIPE]: 6,
  [PROX_FDTYPE.KQUEUE]: 7,
};

/** sysctl KERN_PROC_PID: works for any user's process and for zombies. Null when there is none. */
function kinfo(pid: number): Kinfo | null {
  const c = darwinCalls();
  const { KINFO_SIZE } = layout();
  const buf = Buffer.alloc(KINFO_SIZE);
  const len = [KINFO_SIZE];
  if (c.sysctl([CTL_KERN, KERN_PROC, KERN_PROC_PID, pid], 4, buf, len, null, 0) !== 0) {
    const errno = lastErrno();
    if (errno === errnoValue('ESRCH')) return null;
    throw syscallError('sysctl', errno, { pid });
  }
  if (len[0] === 0) return null;
  return koffi().decode(buf, darwinStructs().KinfoProc) as Kinfo;
}

/**
 * PROC_PIDTBSDINFO, or null when it fails: for a zombie (ESRCH), and for every process of another
 * user unless the caller is root (EPERM: proc_info.c proc_pidinfo() checks CHECK_SAME_USER for all
 * but a few flavors, this one included). The credentials then come from kinfo_proc.
 */
function bsdinfo(pid: number): BsdInfo | null {
  const { BSDINFO_SIZE } = layout();
  const buf = Buffer.alloc(BSDINFO_SIZE);
  if (darwinCalls().proc_pidinfo(pid, PROC_PIDTBSDINFO, 0, buf, BSDINFO_SIZE) !== BSDINFO_SIZE) return null;
  return koffi().decode(buf, darwinStructs().ProcBsdInfo) as BsdInfo;
}

function stateLetter(pStat: number): string {
  switch (pStat) {
    case SIDL:
      return 'I';
    case SRUN:
      return 'R';
    case SSLEEP:
      return 'S';
    case SSTOP:
      return 'T';
    case SZOMB:
      return 'Z';
    default:
      return '?';
  }
}

function startTimeOf(k: Kinfo): number {
  return k.kp_proc.p_starttime.tv_sec * 1_000_000 + k.kp_proc.p_starttime.tv_usec;
}

/** A 32-bit sigset_t (bit n-1 = signal n) as a sorted list. */
function signalList(mask: number): number[] {
  const out: number[] = [];
  for (let n = 1; n <= 32; n++) if ((mask >>> (n - 1)) & 1) out.push(n);
  return out;
}

function ttyName(dev: number): string | null {
  const name = darwinCalls().devname(dev, S_IFCHR);
  return name && name !== '??' ? `/dev/${name}` : null;
}

function kindOfMode(mode: number, path: string): FdKind {
  switch (mode & 0o170000) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'directory';
    case 0o010000:
      return 'pipe';
    case 0o140000:
      return 'socket';
    case 0o020000:
      return /^\/dev\/(tty|pty|console)/.test(path) ? 'tty' : 'device';
    case 0o060000:
      return 'device';
    default:
      return 'other';
  }
}

/** PROC_PIDLISTFDS: each open fd with its PROX_FDTYPE, or the errno when the list cannot be read. */
function fdTable(pid: number): { fd: number; type: number }[] | { errno: number } {
  const c = darwinCalls();
  const { FDINFO_SIZE } = layout();
  const need = c.proc_pidinfo(pid, PROC_PIDLISTFDS, 0, null, 0);
  if (need <= 0) return { errno: lastErrno() };
  // Room for fds opened between the two calls.
  const list = Buffer.alloc(need + 32 * FDINFO_SIZE);
  const got = c.proc_pidinfo(pid, PROC_PIDLISTFDS, 0, list, list.length);
  // libproc answers 0 both for a failure and for a table of no fds. Asked with no buffer,
  // proc_pidfdlist() answers room for fd_nfiles + 20 entries, so a 0 there is a failure; with a
  // buffer, 0 is an empty table (xnu bsd/kern/proc_info.c proc_pidfdlist()). Had the process
  // exited in between, the caller's final existence check says so.
  const out: { fd: number; type: number }[] = [];
  for (let off = 0; off + FDINFO_SIZE <= got; off += FDINFO_SIZE) out.push({ fd: list.readInt32LE(off), type: list.readUInt32LE(off + 4) });
  return out;
}

/** One fd through proc_pidfdinfo with the flavor of its type; null when it was closed since the listing. */
function describeFd(pid: number, fd: number, type: number, buf: Buffer): FdInfo | null {
  const flavor = FD_FLAVOR[type];
  const base: FdInfo = { fd, target: `type ${type}`, kind: 'other', device: null, inode: null, cloexec: null, append: null, access: null };
  if (flavor === undefined) return base;
  buf.fill(0);
  if (darwinCalls().proc_pidfdinfo(pid, fd, flavor, buf, FD_BUFFER_SIZE) <= 0) {
    return lastErrno() === errnoValue('EBADF') ? null : base;
  }
  const pfi = koffi().decode(buf, darwinStructs().ProcFileInfo) as { fi_openflags: number; fi_status: number };
  const info: FdInfo = {
    ...base,
    cloexec: (pfi.fi_status & PROC_FP_CLEXEC) !== 0,
    append: (pfi.fi_openflags & DARWIN_O_APPEND) !== 0,
    nonblocking: (pfi.fi_openflags & DARWIN_O_NONBLOCK) !== 0,
    access: (pfi.fi_openflags & (FREAD | FWRITE)) === (FREAD | FWRITE) ? 'rw' : pfi.fi_openflags & FWRITE ? 'w' : pfi.fi_openflags & FREAD ? 'r' : null,
  };
  if (type === PROX_FDTYPE.VNODE) {
    const v = koffi().decode(buf, darwinStructs().VnodeFdInfoWithPath) as { pvip: VnodePath };
    const st = v.pvip.vip_vi.vi_stat;
    Object.assign(info, { target: v.pvip.vip_path, kind: kindOfMode(st.vst_mode, v.pvip.vip_path), device: st.vst_dev, inode: st.vst_ino });
  } else if (type === PROX_FDTYPE.PIPE) {
    // xnu sys_pipe.c fill_pipeinfo() leaves pipe_stat's st_dev and st_ino at 0; pipe_handle is
    // VM_KERNEL_ADDRHASH(cpipe), the same value pipe_stat() gives fstat as st_ino (xnu-11417.101.15).
    const handle = buf.readBigUInt64LE(layout().PIPE_HANDLE_OFFSET);
    Object.assign(info, { target: `pipe:[${handle}]`, kind: 'pipe' });
  } else if (type === PROX_FDTYPE.SOCKET) {
    // soi_stat is never filled (proc_info.c fill_socketinfo); soi_so is VM_KERNEL_ADDRHASH(so) (socket_info.c fill_common_sockinfo).
    // fstat cannot give this: a unix socket's st_ino is unp->unp_ino (uipc_usrreq.c uipc_sense), a
    // counter, so a socket is only ever named from this side (see openFd).
    const handle = buf.readBigUInt64LE(layout().SOCKET_HANDLE_OFFSET);
    Object.assign(info, { target: `socket:[${handle}]`, kind: 'socket' });
  } else {
    Object.assign(info, { target: type === PROX_FDTYPE.KQUEUE ? 'kqueue' : `type ${type}`, kind: 'anon' });
  }
  return info;
}

function listFds(pid: number, unknown: Record<string, string>): FdInfo[] | null {
  const table = fdTable(pid);
  if (!Array.isArray(table)) {
    if (table.errno === errnoValue('ESRCH')) return null; // decided by the caller's final existence check
    unknown.fds = table.errno === errnoValue('EPERM') ? 'permission denied: another user\'s process (run as root)' : `proc_pidinfo: ${errnoName(table.errno)}`;
    return null;
  }
  const fds: FdInfo[] = [];
  const buf = Buffer.alloc(FD_BUFFER_SIZE);
  for (const { fd, type } of table) {
    const info = describeFd(pid, fd, type, buf);
    if (info) fds.push(info);
  }
  return fds.sort((a, b) => a.fd - b.fd);
}

/** One fd of `pid` as the snapshot would show it (listFds), or null when it is not open or cannot be read. */
function openFd(pid: number, fd: number): FdInfo | null {
  assertPid(pid);
  const table = fdTable(pid);
  const entry = Array.isArray(table) ? table.find((e) => e.fd === fd) : undefined;
  return entry ? describeFd(pid, fd, entry.type, Buffer.alloc(FD_BUFFER_SIZE)) : null;
}

function vnodePaths(pid: number, unknown: Record<string, string>): { cwd: string | null; root: string | null } {
  const { VNODEPATH_SIZE } = layout();
  const buf = Buffer.alloc(VNODEPATH_SIZE);
  if (darwinCalls().proc_pidinfo(pid, PROC_PIDVNODEPATHINFO, 0, buf, VNODEPATH_SIZE) !== VNODEPATH_SIZE) {
    const errno = lastErrno();
    const why = errno === errnoValue('EPERM') ? 'permission denied: another user\'s process (run as root)' : `proc_pidinfo(PROC_PIDVNODEPATHINFO): ${errnoName(errno)}`;
    unknown.cwd = why;
    unknown.root = why;
    return { cwd: null, root: null };
  }
  const v = koffi().decode(buf, darwinStructs().ProcVnodePathInfo) as { pvi_cdir: VnodePath; pvi_rdir: VnodePath };
  // pvi_rdir is empty unless the process is chrooted.
  return { cwd: v.pvi_cdir.vip_path || null, root: v.pvi_rdir.vip_path || '/' };
}

/** KERN_PROCARGS2 (parsed in procargs-darwin.ts). Null when refused. */
function procargs(pid: number): Procargs | null {
  const c = darwinCalls();
  const max = Buffer.alloc(4);
  if (c.sysctl([CTL_KERN, KERN_ARGMAX], 2, max, [4], null, 0) !== 0) return null;
  const size = max.readInt32LE(0);
  const buf = Buffer.alloc(size);
  const len = [size];
  if (c.sysctl([CTL_KERN, KERN_PROCARGS2, pid], 3, buf, len, null, 0) !== 0) return null;
  return parseProcargs2(buf, len[0]!);
}

/**
 * The session id. getsid() goes through proc_find(), which refuses a process that is exiting
 * or a zombie (xnu kern_prot.c getsid(), kern_proc.c proc_ref_try_fast() with P_REF_DEAD),
 * while sysctl KERN_PROC_PID still lists it: for a zombie, a session leader's sid is its pid
 * (EPROC_SLEADER), any other is unknown (-1, with the reason). psutil does the same check
 * (psutil/arch/osx/proc_utils.c is_zombie(): kinfo_proc p_stat == SZOMB after a libproc failure).
 */
function sessionOf(pid: number, k: Kinfo, unknown: Record<string, string> | null): number {
  const sid = darwinCalls().getsid(pid);
  if (sid >= 0) return sid;
  const errno = lastErrno();
  if (errno !== errnoValue('ESRCH')) throw syscallError('getsid', errno, { pid });
  const now = kinfo(pid);
  if (!now || startTimeOf(now) !== startTimeOf(k) || now.kp_proc.p_stat !== SZOMB) throw noSuchProcess(pid);
  if (now.kp_eproc.e_flag & EPROC_SLEADER) return pid;
  if (unknown) unknown.sid = 'zombie: macOS getsid() refuses an exited process and kinfo_proc has no session id';
  return -1;
}

function inspectDarwin(pid: number): Snapshot {
  assertPid(pid);
  const k = kinfo(pid);
  if (!k) throw noSuchProcess(pid);
  const unknown: Record<string, string> = {
    umask: 'macOS does not show another process\'s umask',
    'signals.blocked': 'macOS does not show the blocked-signal mask from outside (p_sigmask is never filled)',
  };
  const sid = sessionOf(pid, k, unknown);
  const b = bsdinfo(pid);
  const zombie = k.kp_proc.p_stat === SZOMB;
  const paths = zombie ? { cwd: null, root: null } : vnodePaths(pid, unknown);
  if (zombie) unknown.cwd = unknown.root = 'zombie: the process has exited';
  // A zombie holds no files: unknown, with the reason, as the Linux backend reports it.
  if (zombie) unknown.fds = 'zombie: the process has exited and holds no files';
  const fds = zombie ? null : listFds(pid, unknown);
  const args = procargs(pid);
  if (!args) unknown.cmdline = 'KERN_PROCARGS2 refused (another user\'s process, a zombie, or a restricted binary)';

  const again = kinfo(pid);
  if (!again || startTimeOf(again) !== startTimeOf(k)) throw noSuchProcess(pid);

  const e = k.kp_eproc;
  const hasTty = (k.kp_proc.p_flag & P_CONTROLT) !== 0 && e.e_tdev !== NODEV;
  const euid = b?.pbi_uid ?? e.e_ucred.cr_uid;
  const groups = e.e_ucred.cr_groups.slice(0, Math.max(0, e.e_ucred.cr_ngroups));
  const egid = b?.pbi_gid ?? groups[0] ?? e.e_pcred.p_rgid;
  return {
    pid,
    ppid: e.e_ppid,
    pgid: e.e_pgid,
    sid,
    tpgid: hasTty && e.e_tpgid > 0 ? e.e_tpgid : null,
    tty: hasTty ? { device: e.e_tdev, name: ttyName(e.e_tdev) } : null,
    umask: null,
    cwd: paths.cwd,
    root: paths.root,
    fds,
    signals: { blocked: null, ignored: signalList(k.kp_proc.p_sigignore), caught: signalList(k.kp_proc.p_sigcatch) },
    uid: euid,
    gid: egid,
    groups,
    uids: { real: e.e_pcred.p_ruid, effective: euid, saved: e.e_pcred.p_svuid },
    gids: { real: e.e_pcred.p_rgid, effective: egid, saved: e.e_pcred.p_svgid },
    cmdline: args?.argv ?? [],
    state: stateLetter(again.kp_proc.p_stat),
    startTime: startTimeOf(k),
    name: k.kp_proc.p_comm,
    threads: null,
    unknown,
  };
}

function summary(pid: number): ProcessSummary | null {
  assertPid(pid);
  const k = kinfo(pid);
  if (!k) return null;
  let sid: number;
  try {
    sid = sessionOf(pid, k, null);
  } catch (error) {
    if (isNoSuchProcess(error)) return null;
    throw error;
  }
  const hasTty = (k.kp_proc.p_flag & P_CONTROLT) !== 0 && k.kp_eproc.e_tdev !== NODEV;
  return {
    pid,
    ppid: k.kp_eproc.e_ppid,
    pgid: k.kp_eproc.e_pgid,
    sid,
    ttyDevice: hasTty ? k.kp_eproc.e_tdev : 0,
    state: stateLetter(k.kp_proc.p_stat),
    startTime: startTimeOf(k),
    name: k.kp_proc.p_comm,
  };
}

/** proc_listpids returns bytes; a first call with no buffer says how many are needed. */
function listPids(type: number, info: number): number[] {
  const c = darwinCalls();
  const need = c.proc_listpids(type, info, null, 0);
  if (need < 0) throw syscallError('proc_listpids', lastErrno());
  const buf = Buffer.alloc(need + 64 * 4);
  const got = c.proc_listpids(type, info, buf, buf.length);
  if (got < 0) throw syscallError('proc_listpids', lastErrno());
  const pids: number[] = [];
  for (let off = 0; off + 4 <= got; off += 4) {
    const pid = buf.readInt32LE(off);
    if (pid > 0) pids.push(pid);
  }
  return pids.sort((a, b) => a - b);
}

export const darwinBackend: InspectBackend = {
  inspect: inspectDarwin,
  summary,
  listProcesses() {
    const out: ProcessSummary[] = [];
    for (const pid of listPids(PROC_ALL_PIDS, 0)) {
      const s = summary(pid);
      if (s) out.push(s);
    }
    return out;
  },
  childPids(pid) {
    assertPid(pid);
    return listPids(PROC_PPID_ONLY, pid);
  },
  argv(pid) {
    assertPid(pid);
    if (!kinfo(pid)) return [];
    return procargs(pid)?.argv ?? null;
  },
  environ(pid) {
    assertPid(pid);
    if (!kinfo(pid)) return [];
    return procargs(pid)?.env ?? null;
  },
  // KERN_PROCARGS2 holds the bytes, but procargs() decodes them; nothing needs them on macOS yet.
  argvBytes: () => null,
  openers(device, inode, pids) {
    // libproc lists each process's vnodes with their device and inode (the snapshot's fds); it
    // does not say which descriptions hold a flock().
    const out: FileOpener[] = [];
    for (const pid of pids ?? listPids(PROC_ALL_PIDS, 0)) {
      try {
        for (const fd of inspectDarwin(pid).fds ?? []) if (fd.device === device && fd.inode === inode) out.push({ pid, fd: fd.fd, flock: null });
      } catch {
        // gone, or not ours to read
      }
    }
    return out;
  },
  fdsVisible(pid) {
    try {
      return inspectDarwin(pid).fds !== null;
    } catch {
      return false;
    }
  },
  // strace, the only tracer the checker starts, is Linux-only; kinfo's P_TRACED does not name the tracer.
  tracer: () => null,
  // Only this process's limit is asked for (getrlimit would answer it); not read yet on macOS.
  resourceLimit: () => null,
  eventfdId: () => null,
  openFd,
};

