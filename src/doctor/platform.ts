import { release } from 'node:os';
import { currentLibc, glibcVersion } from '../ffi/platform.js';
import type { DoctorCheck } from './types.js';

export function probeOs(): DoctorCheck {
  const os = process.platform;
  const supported = os === 'linux' || os === 'darwin';
  return {
    id: 'os',
    status: supported ? 'ok' : 'missing',
    title: 'Operating system',
    value: `${os} ${process.arch}`,
    meaning: supported
      ? os === 'linux'
        ? 'Linux: every rule can be checked from /proc.'
        : 'macOS: the daemonizer works; the checker cannot see umask or the blocked-signal mask from outside (docs/limits.md).'
      : 'daemonspec supports Linux and macOS only.',
    fix: supported ? null : 'Run daemonspec in a Linux container or VM.',
  };
}

/** Kernel release; Linux ≥ 4.7 for `Umask:` in /proc, ≥ 5.9 for close_range(2). */
export function probeKernel(): DoctorCheck {
  const kernel = release();
  if (process.platform !== 'linux') {
    return { id: 'kernel', status: 'ok', title: 'Kernel', value: kernel, meaning: `${process.platform} kernel ${kernel}.`, fix: null };
  }
  const [major = 0, minor = 0] = kernel.split('.').map((part) => Number.parseInt(part, 10));
  const atLeast = (a: number, b: number): boolean => major > a || (major === a && minor >= b);
  const status = atLeast(5, 9) ? 'ok' : 'warn';
  return {
    id: 'kernel',
    status,
    title: 'Kernel',
    value: kernel,
    meaning:
      status === 'ok'
        ? 'Linux ≥ 5.9: close_range(2) and the /proc fields the checker reads are available.'
        : 'Linux older than 5.9: no close_range(2) (fds are closed from the /proc/self/fd list instead)' +
          (atLeast(4, 7) ? '.' : ', and no `Umask:` in /proc (the umask rule is skipped).'),
    fix: status === 'ok' ? null : 'Use a newer kernel (5.9 or later) for every capability.',
  };
}

export function probeLibc(): DoctorCheck {
  const libc = currentLibc();
  const version = glibcVersion();
  const value = libc === 'glibc' ? `glibc ${version}` : libc === 'musl' ? 'musl' : 'libSystem (macOS)';
  return {
    id: 'libc',
    status: 'ok',
    title: 'C library',
    value,
    meaning:
      libc === 'glibc'
        ? 'glibc: constants and posix_spawn flags for glibc are used (POSIX_SPAWN_SETSID 0x80).'
        : libc === 'musl'
          ? 'musl (Alpine and similar): same Linux constants; koffi loads the musl loader as the C library.'
          : 'libSystem: the macOS constants are used (POSIX_SPAWN_SETSID 0x0400).',
    fix: null,
  };
}

/** The C library's name and version for the report header. */
export function libcSummary(): { libc: string; libcVersion: string | null } {
  return { libc: currentLibc(), libcVersion: glibcVersion() };
}
