/*
 * A stand-in for the parts of macOS's libSystem that src/inspect/darwin.ts calls: proc_pidinfo,
 * proc_pidfdinfo, proc_listpids, sysctl (KERN_PROC_PID, KERN_ARGMAX, KERN_PROCARGS2), devname,
 * getsid. Built on Linux by spec/inspect/darwin-marshalling.test.ts and loaded by koffi in place
 * of libSystem, so every parse path of the darwin backend runs here.
 *
 * The structs are transcribed a second time, in C, from xnu-11417.101.15 (apple-oss-distributions/xnu):
 * bsd/sys/proc_info.h (proc_bsdinfo line 59, proc_fileinfo 251, vinfo_stat 288, vnode_info 312,
 * vnode_info_path 319, vnode_fdinfowithpath 329, proc_vnodepathinfo 345, socket_info 536,
 * socket_fdinfo 567, pipe_info 598, pipe_fdinfo 606, proc_fdinfo 673), bsd/sys/proc.h
 * (extern_proc) and bsd/sys/sysctl.h (kinfo_proc, eproc, _pcred, _ucred), LP64. The compiler
 * lays them out independently of koffi's declarations in src/ffi/libproc-darwin.ts; the
 * _Static_asserts pin the sizes the kernel checks (PROC_PID*_SIZE).
 *
 * The processes are fixed: what they return is what a Mac would for processes in those states,
 * per the xnu sources cited here and in darwin.ts. By pid:
 *   4242 DAEMON         session leader; fds 0-7 (files, two pipes, a socket, a kqueue, a pshm) and
 *                       fd 9, listed but closed before proc_pidfdinfo reads it (EBADF)
 *   4243 ZOMBIE_LEADER  a zombie that led its session      4245 ZOMBIE  a zombie that did not
 *   4244 ON_TTY         controlling terminal, chrooted, environment omitted, no open fds
 *   4246 OTHER_USER     another user's live process, as a non-root caller sees it: sysctl
 *                       KERN_PROC_PID and getsid answer, every libproc call fails with EPERM
 *                       (proc_info.c proc_pidinfo()/proc_pidfdinfo(): proc_security_policy() with
 *                       CHECK_SAME_USER, PROC_PIDTBSDINFO included), KERN_PROCARGS2 with EINVAL
 *                       (kern_sysctl.c sysctl_procargsx(): another uid and not root)
 *   4247 HOLDER         DAEMON's stopped child: the daemon's log inherited at fd 4, a terminal, a
 *                       directory, a fifo, a disk and an fsevents fd (a type with no pidfdinfo flavor)
 *   4248 SETUID_MIDWAY  lists its fds, then fails proc_pidfdinfo with EPERM: it became another
 *                       user's (a set-user-id exec) between the listing and the reads; its
 *                       controlling terminal is one devname() cannot name, with no foreground group
 *   4250 GONE           no such process, though proc_listpids(PROC_ALL_PIDS) still names it (it
 *                       exited between the listing and the reading), after a 0 entry
 * The calling process is served DAEMON's fd table (see fd_owner).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAXCOMLEN 16
#define MAXPATHLEN 1024

struct proc_bsdinfo {
	uint32_t pbi_flags, pbi_status, pbi_xstatus, pbi_pid, pbi_ppid, pbi_uid, pbi_gid, pbi_ruid, pbi_rgid, pbi_svuid, pbi_svgid, rfu_1;
	char pbi_comm[MAXCOMLEN];
	char pbi_name[2 * MAXCOMLEN];
	uint32_t pbi_nfiles, pbi_pgid, pbi_pjobc, e_tdev, e_tpgid;
	int32_t pbi_nice;
	uint64_t pbi_start_tvsec, pbi_start_tvusec;
};
struct proc_fileinfo { uint32_t fi_openflags, fi_status; int64_t fi_offset; int32_t fi_type; uint32_t fi_guardflags; };
struct vinfo_stat {
	uint32_t vst_dev; uint16_t vst_mode, vst_nlink; uint64_t vst_ino; uint32_t vst_uid, vst_gid;
	int64_t vst_atime, vst_atimensec, vst_mtime, vst_mtimensec, vst_ctime, vst_ctimensec, vst_birthtime, vst_birthtimensec;
	int64_t vst_size, vst_blocks; int32_t vst_blksize; uint32_t vst_flags, vst_gen, vst_rdev; int64_t vst_qspare[2];
};
struct vnode_info { struct vinfo_stat vi_stat; int vi_type; int vi_pad; int32_t vi_fsid[2]; };
struct vnode_info_path { struct vnode_info vip_vi; char vip_path[MAXPATHLEN]; };
struct vnode_fdinfowithpath { struct proc_fileinfo pfi; struct vnode_info_path pvip; };
struct proc_vnodepathinfo { struct vnode_info_path pvi_cdir, pvi_rdir; };
struct sockbuf_info { uint32_t sbi_cc, sbi_hiwat, sbi_mbcnt, sbi_mbmax, sbi_lowat; short sbi_flags, sbi_timeo; };
struct socket_info {
	struct vinfo_stat soi_stat; uint64_t soi_so, soi_pcb; int soi_type, soi_protocol, soi_family;
	short soi_options, soi_linger, soi_state, soi_qlen, soi_incqlen, soi_qlimit, soi_timeo; uint16_t soi_error;
	uint32_t soi_oobmark; struct sockbuf_info soi_rcv, soi_snd; int soi_kind; uint32_t rfu_1;
	uint64_t soi_proto[66]; /* the union; its largest member un_sockinfo is 2 x uint64 + 2 x 255-byte sockaddr_un, padded */
};
struct socket_fdinfo { struct proc_fileinfo pfi; struct socket_info psi; };
struct pipe_info { struct vinfo_stat pipe_stat; uint64_t pipe_handle, pipe_peerhandle; int pipe_status, rfu_1; };
struct pipe_fdinfo { struct proc_fileinfo pfi; struct pipe_info pipeinfo; };
struct proc_fdinfo { int32_t proc_fd; uint32_t proc_fdtype; };

struct dtimeval { int64_t tv_sec; int32_t tv_usec; }; /* darwin: long, __darwin_suseconds_t (int32) */
struct extern_proc {
	union { struct { void *p_forw, *p_back; } p_st1; struct dtimeval p_starttime; } p_un;
	void *p_vmspace, *p_sigacts; int p_flag; char p_stat; int32_t p_pid, p_oppid; int p_dupfd;
	void *user_stack, *exit_thread; int p_debugger, sigwait; uint32_t p_estcpu; int p_cpticks; uint32_t p_pctcpu;
	void *p_wchan; char *p_wmesg; uint32_t p_swtime, p_slptime;
	struct { struct dtimeval it_interval, it_value; } p_realtimer; struct dtimeval p_rtime;
	uint64_t p_uticks, p_sticks, p_iticks; int p_traceflag; void *p_tracep; int p_siglist; void *p_textvp; int p_holdcnt;
	uint32_t p_sigmask, p_sigignore, p_sigcatch; uint8_t p_priority, p_usrpri; char p_nice; char p_comm[MAXCOMLEN + 1];
	void *p_pgrp, *p_addr; uint16_t p_xstat, p_acflag; void *p_ru;
};
struct eproc {
	void *e_paddr, *e_sess;
	struct { char pc_lock[72]; void *pc_ucred; uint32_t p_ruid, p_svuid, p_rgid, p_svgid; int p_refcnt; } e_pcred;
	struct { int32_t cr_ref; uint32_t cr_uid; short cr_ngroups; uint32_t cr_groups[16]; } e_ucred;
	struct { int32_t vm_refcnt; void *vm_shm; int32_t vm_rssize, vm_swrss, vm_tsize, vm_dsize, vm_ssize; void *vm_taddr, *vm_daddr, *vm_maxsaddr; } e_vm;
	int32_t e_ppid, e_pgid; short e_jobc; int32_t e_tdev, e_tpgid; void *e_tsess; char e_wmesg[8];
	int32_t e_xsize; short e_xrssize, e_xccount, e_xswrss; int32_t e_flag; char e_login[12]; int32_t e_spare[4];
};
struct kinfo_proc { struct extern_proc kp_proc; struct eproc kp_eproc; };

_Static_assert(sizeof(struct proc_bsdinfo) == 136, "PROC_PIDTBSDINFO_SIZE");
_Static_assert(sizeof(struct proc_fileinfo) == 24, "proc_fileinfo");
_Static_assert(sizeof(struct vinfo_stat) == 136, "vinfo_stat");
_Static_assert(sizeof(struct vnode_fdinfowithpath) == 1200, "PROC_PIDFDVNODEPATHINFO_SIZE");
_Static_assert(sizeof(struct proc_vnodepathinfo) == 2352, "PROC_PIDVNODEPATHINFO_SIZE");
_Static_assert(sizeof(struct pipe_fdinfo) == 184, "PROC_PIDFDPIPEINFO_SIZE");
_Static_assert(sizeof(struct socket_fdinfo) == 792, "PROC_PIDFDSOCKETINFO_SIZE");
_Static_assert(sizeof(struct proc_fdinfo) == 8, "PROC_PIDLISTFD_SIZE");
_Static_assert(sizeof(struct extern_proc) == 296, "extern_proc");
_Static_assert(sizeof(struct eproc) == 352, "eproc");
_Static_assert(sizeof(struct kinfo_proc) == 648, "kinfo_proc");

/* Offsets the test compares with koffi.offsetof, as the C compiler lays the structs out. */
#define OFF(s, f) (int)__builtin_offsetof(struct s, f)
static const int offsets[] = {
	OFF(pipe_fdinfo, pipeinfo.pipe_handle), OFF(socket_fdinfo, psi.soi_so), OFF(kinfo_proc, kp_eproc.e_tdev),
	OFF(kinfo_proc, kp_eproc.e_flag), OFF(kinfo_proc, kp_proc.p_comm), OFF(kinfo_proc, kp_proc.p_sigignore),
	OFF(vnode_fdinfowithpath, pvip.vip_path), OFF(proc_bsdinfo, pbi_start_tvsec), OFF(kinfo_proc, kp_eproc.e_ucred.cr_groups),
	OFF(kinfo_proc, kp_eproc.e_ppid), OFF(kinfo_proc, kp_proc.p_sigcatch), OFF(kinfo_proc, kp_proc.p_stat), -1,
};
int fake_offset(int i) { return offsets[i]; }

/* ---- the fake processes ---- */
enum { DAEMON = 4242, ZOMBIE_LEADER = 4243, ON_TTY = 4244, ZOMBIE = 4245, OTHER_USER = 4246, HOLDER = 4247, SETUID_MIDWAY = 4248, GONE = 4250 };
#define SRUN 2
#define SSLEEP 3
#define SSTOP 4
#define SZOMB 5
#define P_CONTROLT 0x2
#define EPROC_SLEADER 0x02
#define NODEV (-1)
#define TTY_DEV 0x10000003
#define UNNAMED_TTY_DEV 0x10000063
#define PIPE_HANDLE 0xfedcba9876543211ULL /* > 2^53: a number would round it */
#define PIPE_HANDLE_2 0xfedcba9876543212ULL
#define SOCKET_HANDLE 0x8badf00ddeadbeefULL
enum { FT_VNODE = 1, FT_SOCKET = 2, FT_PSHM = 3, FT_KQUEUE = 5, FT_PIPE = 6, FT_FSEVENTS = 7 };
#define FREAD 0x1
#define FWRITE 0x2
#define O_APPEND_ 0x8
#define LOG_DEV 16777220
#define LOG_INO 987654

static const struct proc_fdinfo daemon_fds[] = {
	{ 0, FT_VNODE }, { 1, FT_VNODE }, { 3, FT_PIPE }, { 4, FT_PIPE }, { 5, FT_SOCKET }, { 6, FT_KQUEUE }, { 7, FT_PSHM }, { 9, FT_VNODE },
};
static const struct proc_fdinfo holder_fds[] = { { 0, FT_VNODE }, { 2, FT_VNODE }, { 4, FT_VNODE }, { 8, FT_VNODE }, { 10, FT_FSEVENTS }, { 12, FT_VNODE } };
static const struct proc_fdinfo midway_fds[] = { { 0, FT_VNODE }, { 1, FT_VNODE } };

static int known(int pid) { return pid >= DAEMON && pid <= SETUID_MIDWAY; }
static int zombie(int pid) { return pid == ZOMBIE_LEADER || pid == ZOMBIE; }

int getsid(int pid) {
	if (!known(pid) || zombie(pid)) { errno = ESRCH; return -1; } /* proc_find() refuses zombies */
	/* kern_prot.c getsid() checks no credentials: another user's process answers too */
	return pid == DAEMON || pid == HOLDER ? DAEMON : pid == OTHER_USER ? OTHER_USER : 4000;
}

const char *devname(int32_t dev, uint16_t type) {
	(void)type;
	return dev == TTY_DEV ? "ttys003" : "??";
}

static void fill_kinfo(int pid, struct kinfo_proc *k) {
	memset(k, 0, sizeof *k);
	k->kp_proc.p_un.p_starttime.tv_sec = 1700000000;
	k->kp_proc.p_un.p_starttime.tv_usec = 123456 + pid;
	k->kp_proc.p_pid = pid;
	k->kp_proc.p_stat = zombie(pid) ? SZOMB : pid == OTHER_USER ? SRUN : pid == HOLDER ? SSTOP : SSLEEP;
	k->kp_proc.p_sigmask = 0xffffffff; /* never filled by xnu: must not be read */
	k->kp_proc.p_sigignore = (1u << 0) | (1u << 12); /* SIGHUP, SIGPIPE */
	k->kp_proc.p_sigcatch = 1u << 14;                 /* SIGTERM */
	snprintf(k->kp_proc.p_comm, sizeof k->kp_proc.p_comm, "%s", pid == DAEMON ? "fake-daemon" : pid == OTHER_USER ? "httpd" : "fake-other");
	k->kp_eproc.e_pcred.p_ruid = 501; k->kp_eproc.e_pcred.p_svuid = 502;
	k->kp_eproc.e_pcred.p_rgid = 20; k->kp_eproc.e_pcred.p_svgid = 21;
	k->kp_eproc.e_ucred.cr_uid = 503; k->kp_eproc.e_ucred.cr_ngroups = 2;
	k->kp_eproc.e_ucred.cr_groups[0] = 20; k->kp_eproc.e_ucred.cr_groups[1] = 12; k->kp_eproc.e_ucred.cr_groups[2] = 99;
	k->kp_eproc.e_ppid = pid == DAEMON || pid == OTHER_USER ? 1 : pid == HOLDER ? DAEMON : 4000;
	k->kp_eproc.e_pgid = pid == DAEMON || pid == ZOMBIE_LEADER || pid == OTHER_USER ? pid : pid == HOLDER ? DAEMON : 4000;
	if (pid == OTHER_USER) {
		/* _www's daemon, started with group staff and set-group-id to _www: fill_user64_eproc()
		 * copies kauth_cred_getuid() (effective) to cr_uid and the posix cred's cr_groups, whose
		 * first entry is the effective gid (bsd/sys/ucred.h: cr_gid is cr_groups[0]). */
		k->kp_eproc.e_pcred.p_ruid = 70; k->kp_eproc.e_pcred.p_svuid = 70;
		k->kp_eproc.e_pcred.p_rgid = 20; k->kp_eproc.e_pcred.p_svgid = 70;
		k->kp_eproc.e_ucred.cr_uid = 70; k->kp_eproc.e_ucred.cr_ngroups = 2;
		k->kp_eproc.e_ucred.cr_groups[0] = 70; k->kp_eproc.e_ucred.cr_groups[1] = 12;
	}
	k->kp_eproc.e_tdev = NODEV;
	if (pid == ON_TTY) {
		k->kp_proc.p_flag = P_CONTROLT;
		k->kp_eproc.e_tdev = TTY_DEV;
		k->kp_eproc.e_tpgid = 4001;
	}
	if (pid == SETUID_MIDWAY) {
		k->kp_proc.p_flag = P_CONTROLT;
		k->kp_eproc.e_tdev = UNNAMED_TTY_DEV;
	}
	if (pid == DAEMON || pid == ZOMBIE_LEADER || pid == OTHER_USER) k->kp_eproc.e_flag = EPROC_SLEADER;
}

static int put_string(char *buf, int at, const char *s) {
	size_t n = strlen(s) + 1;
	memcpy(buf + at, s, n);
	return at + (int)n;
}

/* KERN_PROCARGS2 as sysctl_procargsx returns it (see src/inspect/procargs-darwin.ts). */
static int fill_procargs(int pid, char *buf) {
	int argc = 2;
	memcpy(buf, &argc, 4);
	int at = put_string(buf, 4, "/usr/local/bin/fake-daemon");
	while ((at - 4) % 8 != 0) buf[at++] = 0; /* pointer alignment after the exec path */
	at = put_string(buf, at, "fake-daemon");
	at = put_string(buf, at, "--foreground");
	if (pid == ON_TTY) return at; /* restricted: omit_env_vars cuts the copy right after argv */
	at = put_string(buf, at, "DAEMONSPEC_CHECK_ID=abc");
	/* A last variable sized so the environment ends 8-aligned: no NUL before the apple strings. */
	char pad[64] = "PAD=";
	int left = (int)(8 - ((at - 4 + 5) % 8)) % 8;
	for (int i = 0; i < left; i++) strcat(pad, "x");
	at = put_string(buf, at, pad);
	at = put_string(buf, at, "ptr_munge=0x1234");
	at = put_string(buf, at, "executable_file=0x1a,0x2b");
	return at;
}

int sysctl(int *name, uint32_t namelen, void *oldp, size_t *oldlenp, void *newp, size_t newlen) {
	(void)newp; (void)newlen;
	if (namelen == 2 && name[0] == 1 && name[1] == 8) { /* KERN_ARGMAX */
		int max = 4096;
		memcpy(oldp, &max, 4);
		*oldlenp = 4;
		return 0;
	}
	if (namelen == 4 && name[0] == 1 && name[1] == 14 && name[2] == 1) { /* KERN_PROC_PID: zombies included */
		if (!known(name[3])) { *oldlenp = 0; return 0; }
		if (*oldlenp < sizeof(struct kinfo_proc)) { errno = ENOMEM; return -1; }
		fill_kinfo(name[3], oldp);
		*oldlenp = sizeof(struct kinfo_proc);
		return 0;
	}
	if (namelen == 3 && name[0] == 1 && name[1] == 49) { /* KERN_PROCARGS2 */
		if (!known(name[2]) || zombie(name[2]) || name[2] == OTHER_USER) { errno = EINVAL; return -1; }
		*oldlenp = (size_t)fill_procargs(name[2], oldp);
		return 0;
	}
	errno = ENOTSUP;
	return -1;
}

int proc_listpids(uint32_t type, uint32_t typeinfo, void *buffer, int size) {
	/* 0 and GONE are left out by the reader: no process to inspect, and one that exited since */
	int all[] = { 0, DAEMON, ZOMBIE_LEADER, ON_TTY, ZOMBIE, OTHER_USER, HOLDER, SETUID_MIDWAY, GONE };
	int children[] = { ON_TTY, ZOMBIE, SETUID_MIDWAY };
	int holder[] = { HOLDER };
	int *list = type == 1 ? all : type != 6 ? NULL : typeinfo == 4000 ? children : typeinfo == DAEMON ? holder : NULL;
	int n = list == all ? 9 : list == children ? 3 : list == holder ? 1 : 0;
	if (buffer == NULL) return n * 4;
	if (size < n * 4) n = size / 4;
	if (n) memcpy(buffer, list, (size_t)n * 4);
	return n * 4;
}

static void fill_vnode(struct vnode_info_path *v, uint16_t mode, uint32_t dev, uint64_t ino, const char *path) {
	v->vip_vi.vi_stat.vst_mode = mode;
	v->vip_vi.vi_stat.vst_dev = dev;
	v->vip_vi.vi_stat.vst_ino = ino;
	snprintf(v->vip_path, sizeof v->vip_path, "%s", path);
}

/*
 * The calling process itself (the checker naming the traps it plants, src/check/traps.ts
 * trapIdentity) is given the daemon's fd table: its fd 3 is then a pipe, its fd 5 a socket.
 */
static int fd_owner(int pid) { return pid == (int)getpid() ? DAEMON : pid; }

int proc_pidinfo(int pid, int flavor, uint64_t arg, void *buffer, int size) {
	(void)arg;
	if (flavor == 1) pid = fd_owner(pid);
	if (!known(pid) || zombie(pid)) { errno = ESRCH; return 0; }
	if (pid == OTHER_USER) { errno = EPERM; return 0; }
	if (flavor == 1) { /* PROC_PIDLISTFDS */
		const struct proc_fdinfo *table = pid == DAEMON ? daemon_fds : pid == HOLDER ? holder_fds : midway_fds;
		int n = pid == DAEMON ? (int)(sizeof daemon_fds / sizeof daemon_fds[0])
			: pid == HOLDER ? (int)(sizeof holder_fds / sizeof holder_fds[0])
			: pid == SETUID_MIDWAY ? (int)(sizeof midway_fds / sizeof midway_fds[0]) : 0;
		/* proc_pidfdlist(): with no buffer, room for the table plus 20, so never 0; with one, 0 for no fds */
		if (buffer == NULL) return (n + 20) * 8;
		if (size < n * 8) { errno = ENOMEM; return 0; }
		memcpy(buffer, table, (size_t)n * 8);
		return n * 8;
	}
	if (flavor == 3) { /* PROC_PIDTBSDINFO */
		if (size < (int)sizeof(struct proc_bsdinfo)) { errno = ENOMEM; return 0; }
		struct proc_bsdinfo *b = buffer;
		memset(b, 0, sizeof *b);
		b->pbi_pid = (uint32_t)pid; b->pbi_uid = 503; b->pbi_gid = 20;
		return (int)sizeof *b;
	}
	if (flavor == 9) { /* PROC_PIDVNODEPATHINFO */
		if (size < (int)sizeof(struct proc_vnodepathinfo)) { errno = ENOMEM; return 0; }
		struct proc_vnodepathinfo *v = buffer;
		memset(v, 0, sizeof *v);
		fill_vnode(&v->pvi_cdir, 0040755, 16777220, 2, pid == DAEMON ? "/private/var/db/fake" : "/Users/me");
		if (pid == ON_TTY) fill_vnode(&v->pvi_rdir, 0040755, 16777220, 3, "/private/jail");
		return (int)sizeof *v;
	}
	errno = EINVAL;
	return 0;
}

/* HOLDER's fds, all vnodes but fd 10 (fsevents, which has no proc_pidfdinfo flavor). */
static int holder_fdinfo(int fd, int flavor, void *buffer, int size) {
	struct vnode_fdinfowithpath *v = buffer;
	if (flavor != 2 || size < (int)sizeof *v) { errno = EINVAL; return 0; }
	switch (fd) {
	case 0: v->pfi.fi_openflags = FREAD | FWRITE; fill_vnode(&v->pvip, 0020620, 0x3000002, 900, "/dev/ttys003"); break;
	case 2: v->pfi.fi_openflags = FREAD; fill_vnode(&v->pvip, 0040755, LOG_DEV, 2, "/private/var/db/fake"); break;
	case 4: v->pfi.fi_openflags = FWRITE | O_APPEND_; fill_vnode(&v->pvip, 0100644, LOG_DEV, LOG_INO, "/var/log/fake.log"); break;
	case 8: v->pfi.fi_openflags = FREAD; fill_vnode(&v->pvip, 0010600, LOG_DEV, 4711, "/private/var/run/fake.fifo"); break;
	case 12: v->pfi.fi_openflags = FREAD; fill_vnode(&v->pvip, 0060640, 0x3000002, 901, "/dev/disk0s1"); break;
	default: errno = EBADF; return 0;
	}
	return (int)sizeof *v;
}

int proc_pidfdinfo(int pid, int fd, int flavor, void *buffer, int size) {
	pid = fd_owner(pid);
	if (!known(pid) || zombie(pid)) { errno = ESRCH; return 0; }
	if (pid == OTHER_USER || pid == SETUID_MIDWAY) { errno = EPERM; return 0; }
	memset(buffer, 0, (size_t)size);
	if (pid == HOLDER) return holder_fdinfo(fd, flavor, buffer, size);
	if (pid != DAEMON) { errno = EBADF; return 0; }
	struct proc_fileinfo *pfi = buffer;
	switch (fd) {
	case 0: case 1: case 9: {
		if (flavor != 2 || size < (int)sizeof(struct vnode_fdinfowithpath)) break;
		struct vnode_fdinfowithpath *v = buffer;
		if (fd == 0) { pfi->fi_openflags = 0x1; fill_vnode(&v->pvip, 0020666, 0x3000002, 313, "/dev/null"); }
		if (fd == 1) { pfi->fi_openflags = FWRITE | O_APPEND_; pfi->fi_status = 2; fill_vnode(&v->pvip, 0100644, LOG_DEV, LOG_INO, "/var/log/fake.log"); }
		if (fd == 9) { errno = EBADF; return 0; } /* closed between the listing and this call */
		return (int)sizeof *v;
	}
	case 3: case 4: {
		if (flavor != 6 || size < (int)sizeof(struct pipe_fdinfo)) break;
		struct pipe_fdinfo *p = buffer;
		pfi->fi_openflags = fd == 3 ? 0x2 : 0x1;
		/* fill_pipeinfo() leaves st_dev and st_ino 0 (sys_pipe.c) */
		p->pipeinfo.pipe_handle = fd == 3 ? PIPE_HANDLE : PIPE_HANDLE_2;
		p->pipeinfo.pipe_peerhandle = fd == 3 ? PIPE_HANDLE_2 : PIPE_HANDLE;
		return (int)sizeof *p;
	}
	case 5: {
		if (flavor != 3 || size < (int)sizeof(struct socket_fdinfo)) break;
		struct socket_fdinfo *s = buffer;
		pfi->fi_openflags = 0x3; pfi->fi_status = 2;
		s->psi.soi_so = SOCKET_HANDLE; /* soi_stat is never filled */
		s->psi.soi_family = 1;
		return (int)sizeof *s;
	}
	case 6: if (flavor == 7) { pfi->fi_openflags = 0x1; return 24 + 136; } break;
	case 7: if (flavor == 5) { pfi->fi_openflags = 0x3; return 24 + 136 + 8 + MAXPATHLEN; } break;
	}
	errno = EINVAL;
	return 0;
}
