/** macOS values, from xnu's bsd/sys/spawn.h, fcntl.h and ttycom.h (not run here: no macOS machine). */
export const darwinConstants = {
  O_CLOEXEC: 0x1000000,
  POSIX_SPAWN_SETPGROUP: 0x0002,
  POSIX_SPAWN_SETSIGDEF: 0x0004,
  POSIX_SPAWN_SETSIGMASK: 0x0008,
  POSIX_SPAWN_SETSID: 0x0400,
  /** Close every fd not named by a file action: the macOS way to drop inherited fds. */
  POSIX_SPAWN_CLOEXEC_DEFAULT: 0x4000,
  NSIG: 32,
  /** sigset_t is a 32-bit mask. */
  SIGSET_BYTES: 4,
  /** posix_spawnattr_t and posix_spawn_file_actions_t are pointers to heap objects. */
  SPAWNATTR_BYTES: 8,
  FILE_ACTIONS_BYTES: 8,
  PR_SET_CHILD_SUBREAPER: -1,
  PR_GET_CHILD_SUBREAPER: -1,
  TIOCSCTTY: 0x20007461,
  TIOCNOTTY: 0x20007471,
  TIOCGPGRP: 0x40047477,
  TIOCSPGRP: 0x80047476,
  /** sizeof(sockaddr_un.sun_path): xnu bsd/sys/un.h `char sun_path[104]`. */
  SUN_PATH_BYTES: 104,
  /** 1: the BSD struct sockaddr_un starts with sun_len (u_char), then sun_family (u_char). */
  SOCKADDR_HAS_LEN: 1,
  /** bsd/sys/socket.h; darwin has no SOCK_NONBLOCK/SOCK_CLOEXEC, so sockets get fcntl and this. */
  MSG_DONTWAIT: 0x80,
  /** bsd/sys/fcntl.h */
  F_SETFL: 4,
  F_DUPFD_CLOEXEC: 67,
  /** bsd/sys/fcntl.h F_SETOWN and O_ASYNC; darwin has no F_SETSIG (always SIGIO): -1. */
  F_SETOWN: 6,
  F_SETSIG: -1,
  O_ASYNC: 0x40,
  /** bsd/sys/errno.h: 78 (Linux: 38). */
  ENOSYS: 78,
  /** bsd/sys/resource.h: 8 (Linux: 7). */
  RLIMIT_NOFILE: 8,
  /**
   * OPEN_MAX (bsd/sys/syslimits.h): Apple's posix_spawn_file_actions_adddup2/addinherit_np
   * (libsyscall/wrappers/spawn/posix_spawn.c) return EBADF for an fd at or above it.
   */
  SPAWN_FD_LIMIT: 10240,
} as const;

/** Signals the checker may block or ignore in the caller (see constants-linux.ts): SIGEMT, SIGPROF, SIGINFO. */
export const darwinTrapSignals: readonly number[] = [7, 27, 29];
