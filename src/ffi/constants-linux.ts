/** Linux values (glibc and musl agree on these; x86_64 and arm64 alike). */
export const linuxConstants = {
  O_CLOEXEC: 0o2000000,
  POSIX_SPAWN_SETPGROUP: 0x02,
  POSIX_SPAWN_SETSIGDEF: 0x04,
  POSIX_SPAWN_SETSIGMASK: 0x08,
  POSIX_SPAWN_SETSID: 0x80,
  /** macOS only; zero here so that or-ing it in is harmless. */
  POSIX_SPAWN_CLOEXEC_DEFAULT: 0,
  /** Highest signal number plus one (real-time signals included). */
  NSIG: 65,
  /** Bytes in sigset_t: glibc reserves 1024 bits, musl 128 bytes too. */
  SIGSET_BYTES: 128,
  /** Room for posix_spawnattr_t (336 on glibc) and posix_spawn_file_actions_t (80). */
  SPAWNATTR_BYTES: 512,
  FILE_ACTIONS_BYTES: 256,
  PR_SET_CHILD_SUBREAPER: 36,
  PR_GET_CHILD_SUBREAPER: 37,
  TIOCSCTTY: 0x540e,
  TIOCNOTTY: 0x5422,
  TIOCGPGRP: 0x540f,
  TIOCSPGRP: 0x5410,
  /** sizeof(sockaddr_un.sun_path) (linux/un.h UNIX_PATH_MAX). */
  SUN_PATH_BYTES: 108,
  /** 0: struct sockaddr_un starts with a 16-bit sun_family. */
  SOCKADDR_HAS_LEN: 0,
  MSG_DONTWAIT: 0x40,
  F_SETFL: 4,
  F_DUPFD_CLOEXEC: 1030,
  /** asm-generic/fcntl.h: the process told of an fd's I/O (O_ASYNC), and the signal it gets (0: SIGIO). */
  F_SETOWN: 8,
  F_SETSIG: 10,
  O_ASYNC: 0o20000,
  ENOSYS: 38,
  /** getrlimit's resource number of the open-file limit (asm-generic/resource.h). */
  RLIMIT_NOFILE: 7,
  /** posix_spawn file actions take any fd below RLIMIT_NOFILE: no fixed limit. */
  SPAWN_FD_LIMIT: 0x7fffffff,
} as const;

/**
 * Signals the checker may block or ignore in the caller: catchable, asynchronous, and left alone
 * by common daemons and runtimes (not HUP/INT/QUIT/TERM/USR1/USR2/WINCH/IO/ALRM/CHLD/PIPE/XFSZ/URG,
 * which servers and runtimes handle or ignore on purpose; not VTALRM, Ruby's thread timer):
 * SIGSTKFLT, SIGXCPU, SIGPROF, SIGPWR. Standard signals only: runtimes that reset dispositions
 * stop at 31 (Node's kMaxSignal is 32), so a real-time trap would make the verdict depend on the seed.
 */
export const linuxTrapSignals: readonly number[] = [16, 24, 27, 30];
