import { hasSpawnChdir } from '../ffi/capabilities.js';
import { hasCloseRange } from '../ffi/libc.js';
import type { DoctorCheck } from './types.js';

export function probeCloseRange(): DoctorCheck {
  if (process.platform !== 'linux') {
    return {
      id: 'close-range',
      status: 'ok',
      title: 'Closing inherited fds',
      value: 'POSIX_SPAWN_CLOEXEC_DEFAULT',
      meaning: 'macOS closes every fd not named at exec (POSIX_SPAWN_CLOEXEC_DEFAULT); close_range is not needed.',
      fix: null,
    };
  }
  const present = hasCloseRange();
  return {
    id: 'close-range',
    status: present ? 'ok' : 'warn',
    title: 'close_range(2)',
    value: present,
    meaning: present
      ? 'Inherited fds are closed in one call, whatever RLIMIT_NOFILE is.'
      : 'Without close_range, inherited fds are closed one by one from the /proc/self/fd list: still proportional to the open fds, never a loop to RLIMIT_NOFILE.',
    fix: present ? null : 'close_range needs Linux ≥ 5.9 and glibc ≥ 2.34 (Debian 12, Ubuntu 22.04 or later).',
  };
}

export function probeSpawnChdir(): DoctorCheck {
  const present = hasSpawnChdir();
  return {
    id: 'spawn-chdir',
    status: present ? 'ok' : 'missing',
    title: 'posix_spawn_file_actions_addchdir_np',
    value: present,
    meaning: present
      ? 'The daemonizer can set the daemon\'s working directory (--cwd, default /) inside posix_spawn.'
      : 'The daemonizer cannot set the daemon\'s working directory: run, daemonize() and spawnDaemon() fail with EUNSUPPORTED.',
    fix: present ? null : 'Upgrade the C library: glibc ≥ 2.29, musl ≥ 1.1.24 or macOS ≥ 10.15.',
  };
}
