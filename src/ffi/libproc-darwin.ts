import type { LibraryHandle } from 'koffi';
import { koffi, type Koffi } from './koffi.js';
import { once } from './once.js';
import { lastErrno } from './errno.js';
import { libc } from './library.js';
import { currentOs } from './platform.js';

/*
 * macOS process information: libproc (proc_pidinfo, proc_pidfdinfo, proc_listpids), sysctl
 * (KERN_PROC_PID, KERN_PROCARGS2) and devname, all in libSystem.
 *
 * Layouts are transcribed from xnu (apple/darwin-xnu, about macOS 11): bsd/sys/proc_info.h
 * (proc_bsdinfo, vinfo_stat, vnode_info_path, proc_fileinfo, socket_info, pipe_info),
 * bsd/sys/proc.h (extern_proc) and bsd/sys/sysctl.h (kinfo_proc, eproc, _pcred, _ucred),
 * for LP64 (x86_64 and arm64 share it). The struct definitions work on any OS, so
 * spec/inspect/libproc-darwin-layout.test.ts checks sizes and offsets against xnu's on Linux; the calls
 * are bound only on macOS, on first use. Not run on a Mac here.
 */

// ---- constants (bsd/sys/proc_info.h, bsd/sys/sysctl.h, bsd/sys/proc.h) ----
export const PROC_ALL_PIDS = 1;
export const PROC_PPID_ONLY = 6;
export const PROC_PIDLISTFDS = 1;
export const PROC_PIDTBSDINFO = 3;
export const PROC_PIDVNODEPATHINFO = 9;
export const PROC_PIDFDVNODEPATHINFO = 2;
export const PROC_PIDFDSOCKETINFO = 3;
export const PROC_PIDFDPIPEINFO = 6;
export const PROX_FDTYPE = {
  ATALK: 0,
  VNODE: 1,
  SOCKET: 2,
  PSHM: 3,
  PSEM: 4,
  KQUEUE: 5,
  PIPE: 6,
  FSEVENTS: 7,
  NETPOLICY: 9,
} as const;
/** proc_fileinfo.fi_status: close-on-exec. */
export const PROC_FP_CLEXEC = 2;
/** pbi_flags */
export const PROC_FLAG_SLEADER = 0x20;
export const PROC_FLAG_CONTROLT = 0x80;
/** eproc.e_flag: session leader (bsd/sys/sysctl.h line 1005, xnu-11417.101.15). */
export const EPROC_SLEADER = 0x02;
/** extern_proc.p_flag: has a controlling terminal. */
export const P_CONTROLT = 0x2;
/** fi_openflags carries the kernel's FFLAGS (open flags + 1): FREAD 1, FWRITE 2; O_APPEND 8 (bsd/sys/fcntl.h). */
export const FREAD = 0x1;
export const FWRITE = 0x2;
export const DARWIN_O_APPEND = 0x8;
/** O_NONBLOCK (FNONBLOCK) 4 (bsd/sys/fcntl.h). */
export const DARWIN_O_NONBLOCK = 0x4;
/** pbi_status / p_stat (bsd/sys/proc.h) */
export const SIDL = 1;
export const SRUN = 2;
export const SSLEEP = 3;
export const SSTOP = 4;
export const SZOMB = 5;
/** e_tdev of a process without a controlling terminal (NODEV, bsd/sys/conf.h). */
export const NODEV = -1;
export const CTL_KERN = 1;
export const KERN_ARGMAX = 8;
export const KERN_PROC = 14;
export const KERN_PROC_PID = 1;
export const KERN_PROCARGS2 = 49;
export const S_IFCHR = 0o020000;
export const MAXPATHLEN = 1024;

// ---- structures, defined on first use (importing this module runs no koffi code) ----
const MAXCOMLEN = 16;
const NGROUPS = 16;

function defineStructs(k: Koffi) {

  /** struct proc_bsdinfo: 136 bytes (PROC_PIDTBSDINFO_SIZE). */
  const ProcBsdInfo = k.struct({
    pbi_flags: 'uint32_t',
    pbi_status: 'uint32_t',
    pbi_xstatus: 'uint32_t',
    pbi_pid: 'uint32_t',
    pbi_ppid: 'uint32_t',
    pbi_uid: 'uint32_t',
    pbi_gid: 'uint32_t',
    pbi_ruid: 'uint32_t',
    pbi_rgid: 'uint32_t',
    pbi_svuid: 'uint32_t',
    pbi_svgid: 'uint32_t',
    rfu_1: 'uint32_t',
    pbi_comm: k.array('char', MAXCOMLEN),
    pbi_name: k.array('char', 2 * MAXCOMLEN),
    pbi_nfiles: 'uint32_t',
    pbi_pgid: 'uint32_t',
    pbi_pjobc: 'uint32_t',
    e_tdev: 'uint32_t',
    e_tpgid: 'uint32_t',
    pbi_nice: 'int32_t',
    pbi_start_tvsec: 'uint64_t',
    pbi_start_tvusec: 'uint64_t',
  });

  /** struct vinfo_stat: a stat64 with fixed-size fields, 136 bytes. */
  const VinfoStat = k.struct({
    vst_dev: 'uint32_t',
    vst_mode: 'uint16_t',
    vst_nlink: 'uint16_t',
    vst_ino: 'uint64_t',
    vst_uid: 'uint32_t',
    vst_gid: 'uint32_t',
    vst_atime: 'int64_t',
    vst_atimensec: 'int64_t',
    vst_mtime: 'int64_t',
    vst_mtimensec: 'int64_t',
    vst_ctime: 'int64_t',
    vst_ctimensec: 'int64_t',
    vst_birthtime: 'int64_t',
    vst_birthtimensec: 'int64_t',
    vst_size: 'int64_t',
    vst_blocks: 'int64_t',
    vst_blksize: 'int32_t',
    vst_flags: 'uint32_t',
    vst_gen: 'uint32_t',
    vst_rdev: 'uint32_t',
    vst_qspare: k.array('int64_t', 2),
  });

  /** struct vnode_info: 152 bytes. */
  const VnodeInfo = k.struct({
    vi_stat: VinfoStat,
    vi_type: 'int',
    vi_pad: 'int',
    vi_fsid: k.array('int32_t', 2),
  });

  /** struct vnode_info_path: 1176 bytes. */
  const VnodeInfoPath = k.struct({
    vip_vi: VnodeInfo,
    vip_path: k.array('char', MAXPATHLEN),
  });

  /** struct proc_vnodepathinfo (PROC_PIDVNODEPATHINFO): cwd and root, 2352 bytes. */
  const ProcVnodePathInfo = k.struct({
    pvi_cdir: VnodeInfoPath,
    pvi_rdir: VnodeInfoPath,
  });

  /** struct proc_fdinfo (PROC_PIDLISTFDS entries): 8 bytes. */
  const ProcFdInfo = k.struct({
    proc_fd: 'int32_t',
    proc_fdtype: 'uint32_t',
  });

  /** struct proc_fileinfo: 24 bytes. */
  const ProcFileInfo = k.struct({
    fi_openflags: 'uint32_t',
    fi_status: 'uint32_t',
    fi_offset: 'int64_t',
    fi_type: 'int32_t',
    fi_guardflags: 'uint32_t',
  });

  /** struct vnode_fdinfowithpath (PROC_PIDFDVNODEPATHINFO): 1200 bytes. */
  const VnodeFdInfoWithPath = k.struct({
    pfi: ProcFileInfo,
    pvip: VnodeInfoPath,
  });

  /** struct pipe_fdinfo (PROC_PIDFDPIPEINFO): 184 bytes. */
  const PipeFdInfo = k.struct({
    pfi: ProcFileInfo,
    pipe_stat: VinfoStat,
    pipe_handle: 'uint64_t',
    pipe_peerhandle: 'uint64_t',
    pipe_status: 'int',
    rfu_1: 'int',
  });

  const SockbufInfo = k.struct({
    sbi_cc: 'uint32_t',
    sbi_hiwat: 'uint32_t',
    sbi_mbcnt: 'uint32_t',
    sbi_mbmax: 'uint32_t',
    sbi_lowat: 'uint32_t',
    sbi_flags: 'short',
    sbi_timeo: 'short',
  });

  /**
   * struct socket_fdinfo (PROC_PIDFDSOCKETINFO): 792 bytes. Only the head is read; the protocol
   * union (largest member un_sockinfo: 2 handles + 2 × SOCK_MAXADDRLEN 255, padded to 528) is opaque.
   */
  const SocketFdInfo = k.struct({
    pfi: ProcFileInfo,
    soi_stat: VinfoStat,
    soi_so: 'uint64_t',
    soi_pcb: 'uint64_t',
    soi_type: 'int',
    soi_protocol: 'int',
    soi_family: 'int',
    soi_options: 'short',
    soi_linger: 'short',
    soi_state: 'short',
    soi_qlen: 'short',
    soi_incqlen: 'short',
    soi_qlimit: 'short',
    soi_timeo: 'short',
    soi_error: 'uint16_t',
    soi_oobmark: 'uint32_t',
    soi_rcv: SockbufInfo,
    soi_snd: SockbufInfo,
    soi_kind: 'int',
    rfu_1: 'uint32_t',
    soi_proto: k.array('uint64_t', 66),
  });

  const Timeval = k.struct({ tv_sec: 'long', tv_usec: 'int32_t' });

  /** struct extern_proc (bsd/sys/proc.h): 296 bytes on LP64. Kernel pointers are opaque 'void *'. */
  const ExternProc = k.struct({
    p_starttime: Timeval, // union with p_forw/p_back (two pointers): both 16 bytes
    p_vmspace: 'void *',
    p_sigacts: 'void *',
    p_flag: 'int',
    p_stat: 'char',
    p_pid: 'int32_t',
    p_oppid: 'int32_t',
    p_dupfd: 'int',
    user_stack: 'void *',
    exit_thread: 'void *',
    p_debugger: 'int',
    sigwait: 'int',
    p_estcpu: 'uint32_t',
    p_cpticks: 'int',
    p_pctcpu: 'uint32_t',
    p_wchan: 'void *',
    p_wmesg: 'void *',
    p_swtime: 'uint32_t',
    p_slptime: 'uint32_t',
    p_realtimer: k.struct({ it_interval: Timeval, it_value: Timeval }),
    p_rtime: Timeval,
    p_uticks: 'uint64_t',
    p_sticks: 'uint64_t',
    p_iticks: 'uint64_t',
    p_traceflag: 'int',
    p_tracep: 'void *',
    p_siglist: 'int',
    p_textvp: 'void *',
    p_holdcnt: 'int',
    p_sigmask: 'uint32_t',
    p_sigignore: 'uint32_t',
    p_sigcatch: 'uint32_t',
    p_priority: 'uint8_t',
    p_usrpri: 'uint8_t',
    p_nice: 'int8_t',
    p_comm: k.array('char', MAXCOMLEN + 1),
    p_pgrp: 'void *',
    p_addr: 'void *',
    p_xstat: 'uint16_t',
    p_acflag: 'uint16_t',
    p_ru: 'void *',
  });

  /** struct eproc (bsd/sys/sysctl.h): 352 bytes on LP64. */
  const Eproc = k.struct({
    e_paddr: 'void *',
    e_sess: 'void *',
    e_pcred: k.struct({
      pc_lock: k.array('char', 72),
      pc_ucred: 'void *',
      p_ruid: 'uint32_t',
      p_svuid: 'uint32_t',
      p_rgid: 'uint32_t',
      p_svgid: 'uint32_t',
      p_refcnt: 'int',
    }),
    e_ucred: k.struct({
      cr_ref: 'int32_t',
      cr_uid: 'uint32_t',
      cr_ngroups: 'short',
      cr_groups: k.array('uint32_t', NGROUPS, 'Array'),
    }),
    // struct vmspace as user space sees it (bsd/sys/vm.h): int32, pointer, int32[5], pointer[3].
    e_vm: k.struct({
      dummy: 'int32_t',
      dummy2: 'void *',
      dummy3: k.array('int32_t', 5, 'Array'),
      dummy4: k.array('void *', 3, 'Array'),
    }),
    e_ppid: 'int32_t',
    e_pgid: 'int32_t',
    e_jobc: 'short',
    e_tdev: 'int32_t',
    e_tpgid: 'int32_t',
    e_tsess: 'void *',
    e_wmesg: k.array('char', 8),
    e_xsize: 'int32_t',
    e_xrssize: 'short',
    e_xccount: 'short',
    e_xswrss: 'short',
    e_flag: 'int32_t',
    e_login: k.array('char', 12),
    e_spare: k.array('int32_t', 4, 'Array'),
  });

  /** struct kinfo_proc (sysctl KERN_PROC_PID): 648 bytes on LP64. */
  const KinfoProc = k.struct({
    kp_proc: ExternProc,
    kp_eproc: Eproc,
  });

  return { ProcBsdInfo, VinfoStat, VnodeInfo, VnodeInfoPath, ProcVnodePathInfo, ProcFdInfo, ProcFileInfo, VnodeFdInfoWithPath, PipeFdInfo, SocketFdInfo, ExternProc, Eproc, KinfoProc };
}

/** xnu's structures as koffi types, defined on the first call. */
export const darwinStructs = once(() => defineStructs(koffi()));

// ---- calls, bound on first use and only on macOS ----
interface DarwinCalls {
  proc_pidinfo: (pid: number, flavor: number, arg: number, buffer: Buffer | null, size: number) => number;
  proc_pidfdinfo: (pid: number, fd: number, flavor: number, buffer: Buffer, size: number) => number;
  proc_listpids: (type: number, typeinfo: number, buffer: Buffer | null, size: number) => number;
  sysctl: (name: number[], namelen: number, oldp: Buffer | null, oldlenp: number[], newp: null, newlen: number) => number;
  devname: (dev: number, type: number) => string | null;
  getsid: (pid: number) => number;
}

let calls: DarwinCalls | null = null;

function bind(lib: LibraryHandle): DarwinCalls {
  return {
    proc_pidinfo: lib.func('int proc_pidinfo(int pid, int flavor, uint64_t arg, void *buffer, int buffersize)') as DarwinCalls['proc_pidinfo'],
    proc_pidfdinfo: lib.func('int proc_pidfdinfo(int pid, int fd, int flavor, void *buffer, int buffersize)') as DarwinCalls['proc_pidfdinfo'],
    proc_listpids: lib.func('int proc_listpids(uint32_t type, uint32_t typeinfo, void *buffer, int buffersize)') as DarwinCalls['proc_listpids'],
    sysctl: lib.func('int sysctl(int *name, uint32_t namelen, void *oldp, _Inout_ size_t *oldlenp, void *newp, size_t newlen)') as DarwinCalls['sysctl'],
    devname: lib.func('const char *devname(int32_t dev, uint16_t type)') as DarwinCalls['devname'],
    getsid: lib.func('int getsid(int pid)') as DarwinCalls['getsid'],
  };
}

/**
 * Binds the calls from another library exporting libSystem's names and layouts. Only for
 * spec/inspect/darwin-marshalling.test.ts, which builds such a library on Linux (filled from
 * known values with xnu's struct layouts) so that every parse path of inspect/darwin.ts runs
 * there; null restores the default.
 */
export function bindDarwinCallsForTests(path: string | null): void {
  calls = path === null ? null : bind(koffi().load(path));
}

/** The libproc/sysctl calls; throws EUNSUPPORTED-free plain Error off macOS (a programming error). */
export function darwinCalls(): DarwinCalls {
  if (calls) return calls;
  if (currentOs() !== 'darwin') throw new Error('libproc is only available on macOS');
  calls = bind(libc());
  return calls;
}

/** errno right after a failed call (see errno.ts: read it on the next line). */
export { lastErrno };
