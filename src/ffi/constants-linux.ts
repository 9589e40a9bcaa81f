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
} as const;
