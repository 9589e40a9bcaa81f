import koffi from 'koffi';
import { describe, expect, test } from 'vitest';
import { darwinStructs } from '../../src/ffi/libproc-darwin.js';

const { Eproc, ExternProc, KinfoProc, PipeFdInfo, ProcBsdInfo, ProcFdInfo, ProcFileInfo, ProcVnodePathInfo, SocketFdInfo, VinfoStat, VnodeFdInfoWithPath, VnodeInfo, VnodeInfoPath } = darwinStructs();

/*
 * The macOS structs are declared on any OS, so their layout is checked here on Linux (LP64, like
 * macOS x86_64 and arm64). The expected numbers are xnu's, worked out field by field from
 * apple/darwin-xnu bsd/sys/proc_info.h, bsd/sys/proc.h and bsd/sys/sysctl.h, and agree with
 * golang.org/x/sys/unix ztypes_darwin_amd64.go (ExternProc, Eproc with its trailing 4-byte pad)
 * and with psutil's use of PROC_PIDTBSDINFO_SIZE etc. They are not measured on a Mac here.
 */
describe.runIf(process.arch === 'x64' || process.arch === 'arm64')('macOS libproc/sysctl layouts equal xnu (LP64)', () => {
  test('proc_info.h sizes (the *_SIZE constants the kernel checks buffers against)', () => {
    expect(koffi.sizeof(ProcBsdInfo)).toBe(136); // PROC_PIDTBSDINFO_SIZE
    expect(koffi.sizeof(VinfoStat)).toBe(136);
    expect(koffi.sizeof(VnodeInfo)).toBe(152);
    expect(koffi.sizeof(VnodeInfoPath)).toBe(1176); // 152 + MAXPATHLEN
    expect(koffi.sizeof(ProcVnodePathInfo)).toBe(2352); // PROC_PIDVNODEPATHINFO_SIZE
    expect(koffi.sizeof(ProcFdInfo)).toBe(8); // PROC_PIDLISTFD_SIZE
    expect(koffi.sizeof(ProcFileInfo)).toBe(24);
    expect(koffi.sizeof(VnodeFdInfoWithPath)).toBe(1200); // PROC_PIDFDVNODEPATHINFO_SIZE
    expect(koffi.sizeof(PipeFdInfo)).toBe(184); // PROC_PIDFDPIPEINFO_SIZE
    expect(koffi.sizeof(SocketFdInfo)).toBe(792); // PROC_PIDFDSOCKETINFO_SIZE
  });

  test('proc_bsdinfo offsets', () => {
    expect(koffi.offsetof(ProcBsdInfo, 'pbi_ppid')).toBe(16);
    expect(koffi.offsetof(ProcBsdInfo, 'pbi_comm')).toBe(48);
    expect(koffi.offsetof(ProcBsdInfo, 'pbi_name')).toBe(64);
    expect(koffi.offsetof(ProcBsdInfo, 'pbi_pgid')).toBe(100);
    expect(koffi.offsetof(ProcBsdInfo, 'e_tdev')).toBe(108);
    expect(koffi.offsetof(ProcBsdInfo, 'e_tpgid')).toBe(112);
    expect(koffi.offsetof(ProcBsdInfo, 'pbi_start_tvsec')).toBe(120);
  });

  test('vinfo_stat, proc_fileinfo and socket_info offsets', () => {
    expect(koffi.offsetof(VinfoStat, 'vst_ino')).toBe(8);
    expect(koffi.offsetof(VinfoStat, 'vst_size')).toBe(88);
    expect(koffi.offsetof(VinfoStat, 'vst_rdev')).toBe(116);
    expect(koffi.offsetof(ProcFileInfo, 'fi_offset')).toBe(8);
    expect(koffi.offsetof(VnodeInfoPath, 'vip_path')).toBe(152);
    expect(koffi.offsetof(VnodeFdInfoWithPath, 'pvip')).toBe(24);
    expect(koffi.offsetof(SocketFdInfo, 'soi_stat')).toBe(24);
    expect(koffi.offsetof(SocketFdInfo, 'soi_kind')).toBe(24 + 232);
    expect(koffi.offsetof(SocketFdInfo, 'soi_proto')).toBe(24 + 240);
  });

  test('kinfo_proc: 648 bytes; extern_proc 296; eproc 352', () => {
    expect(koffi.sizeof(ExternProc)).toBe(296);
    expect(koffi.sizeof(Eproc)).toBe(352);
    expect(koffi.sizeof(KinfoProc)).toBe(648);
    expect(koffi.offsetof(ExternProc, 'p_flag')).toBe(32);
    expect(koffi.offsetof(ExternProc, 'p_stat')).toBe(36);
    expect(koffi.offsetof(ExternProc, 'p_pid')).toBe(40);
    expect(koffi.offsetof(ExternProc, 'p_realtimer')).toBe(120);
    expect(koffi.offsetof(ExternProc, 'p_sigmask')).toBe(228);
    expect(koffi.offsetof(ExternProc, 'p_sigignore')).toBe(232);
    expect(koffi.offsetof(ExternProc, 'p_sigcatch')).toBe(236);
    expect(koffi.offsetof(ExternProc, 'p_comm')).toBe(243);
    expect(koffi.offsetof(KinfoProc, 'kp_eproc')).toBe(296);
    expect(koffi.offsetof(Eproc, 'e_pcred')).toBe(16);
    expect(koffi.offsetof(Eproc, 'e_ucred')).toBe(120);
    expect(koffi.offsetof(Eproc, 'e_vm')).toBe(200);
    expect(koffi.offsetof(Eproc, 'e_ppid')).toBe(264);
    expect(koffi.offsetof(Eproc, 'e_pgid')).toBe(268);
    expect(koffi.offsetof(Eproc, 'e_tdev')).toBe(276);
    expect(koffi.offsetof(Eproc, 'e_tpgid')).toBe(280);
    expect(koffi.offsetof(Eproc, 'e_flag')).toBe(316);
  });

  test('decoding a kinfo_proc buffer reads the fields at those offsets', () => {
    const buf = Buffer.alloc(648);
    buf.writeUInt32LE(0b1010, 232); // p_sigignore: SIGINT, SIGQUIT... bits 1 and 3
    buf.writeUInt32LE(1 << 14, 236);
    buf.writeInt32LE(4321, 296 + 264);
    buf.writeInt32LE(-1, 296 + 276);
    const k = koffi.decode(buf, KinfoProc) as { kp_proc: { p_sigignore: number; p_sigcatch: number }; kp_eproc: { e_ppid: number; e_tdev: number } };
    expect(k.kp_proc.p_sigignore).toBe(0b1010);
    expect(k.kp_proc.p_sigcatch).toBe(1 << 14);
    expect(k.kp_eproc.e_ppid).toBe(4321);
    expect(k.kp_eproc.e_tdev).toBe(-1);
  });
});
