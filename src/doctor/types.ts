/** ✓ available, ✗ missing (a feature will not work here), ! works with a caveat. */
export type DoctorStatus = 'ok' | 'missing' | 'warn';

/** One line of `daemonspec doctor`. */
export interface DoctorCheck {
  /** Stable identifier (a key of `DoctorReport.checks`). */
  id: DoctorCheckId;
  status: DoctorStatus;
  /** What was probed, e.g. "close_range(2)". */
  title: string;
  /** What was found, e.g. "glibc 2.36" or "20000 / 20000"; null when nothing could be read. */
  value: string | number | boolean | null;
  /** What this means for the daemonizer and the checker on this machine. */
  meaning: string;
  /** How to enable it, when it is not fully available; null when nothing is to be done. */
  fix: string | null;
}

export type DoctorCheckId =
  | 'os'
  | 'kernel'
  | 'libc'
  | 'koffi'
  | 'close-range'
  | 'spawn-chdir'
  | 'proc-umask'
  | 'subreaper'
  | 'pty'
  | 'rlimit-nofile'
  | 'root'
  | 'setpriv'
  | 'unshare'
  | 'docker'
  | 'docker-image';

/** Every check id, in the order `doctor` prints them. */
export const DOCTOR_CHECK_IDS: readonly DoctorCheckId[] = [
  'os',
  'kernel',
  'libc',
  'koffi',
  'close-range',
  'spawn-chdir',
  'proc-umask',
  'subreaper',
  'pty',
  'rlimit-nofile',
  'root',
  'setpriv',
  'unshare',
  'docker',
  'docker-image',
];

/** What `daemonspec doctor --json` prints. */
export interface DoctorReport {
  schemaVersion: 1;
  /** Node.js version running daemonspec. */
  node: string;
  platform: { os: string; arch: string; kernel: string; libc: string; libcVersion: string | null };
  /** One entry per probe, keyed by id (`report.checks['close-range'].status`). */
  checks: Record<DoctorCheckId, DoctorCheck>;
  /** Counts of each status. */
  summary: Record<DoctorStatus, number>;
}

export interface DoctorOptions {
  /** Docker image the `docker` isolation uses. @default $DAEMONSPEC_IMAGE or 'daemonspec:local' */
  image?: string;
  /** Upper bound for each external probe (docker, unshare), in milliseconds. @default 10000 */
  timeoutMs?: number;
}
