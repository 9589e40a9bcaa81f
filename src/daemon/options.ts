import type { ReadyOptions } from './readiness/conditions.js';

/** Options shared by `daemonize()`, `spawnDaemon()` and `daemonspec run`, named as the CLI flags. */
export interface DaemonOptions {
  /** Pidfile path: created with O_NOFOLLOW, contents `PID\n`, locked for the daemon's whole life. */
  pidfile?: string;
  /** File the daemon's stdout (fd 1) is appended to; created 0640. @default '/dev/null' */
  stdout?: string;
  /** File the daemon's stderr (fd 2) is appended to; created 0640. @default '/dev/null' */
  stderr?: string;
  /** Working directory of the daemon. @default '/' */
  cwd?: string;
  /** File mode creation mask of the daemon, as a number (0o022). @default 0o022 */
  umask?: number;
  /** Run as this user (name or uid); needs root. setgid, initgroups, setuid in that order. */
  user?: string | number;
  /** Run with this primary group (name or gid); needs root. */
  group?: string | number;
  /** Inherited fds (≥ 3) that stay open in the daemon at the same number; every other fd is closed. */
  keepFds?: readonly number[];
  /** Variables to set (a string) or remove (`undefined` / `null`) in the daemon's environment. */
  env?: Readonly<Record<string, string | null | undefined>>;
  /** Start from an empty environment instead of this process's (then `env` adds to it). @default false */
  clearEnv?: boolean;
  /** How long to wait for the daemon to become ready, in milliseconds. @default 30000 */
  timeout?: number;
  /**
   * Readiness by sd_notify: set NOTIFY_SOCKET for the daemon and wait for `READY=1`
   * (or `ERRNO=`, or its exit), as start-stop-daemon --notify-await and systemd Type=notify do.
   * @default false
   */
  notify?: boolean;
  /** chroot directory: not supported yet (refused with EUNSUPPORTED). */
  chroot?: string;
}

/**
 * Options of `spawnDaemon()` (and `daemonspec run`): {@link DaemonOptions} plus the readiness of a
 * program that does not report it (one of readyLog, readyTcp, readyFile, aliveFor; not with notify).
 * Without any of them and without `notify`, the program is ready once its exec happened.
 */
export interface SpawnDaemonOptions extends DaemonOptions, ReadyOptions {}

/** Options of `daemonize()` on top of {@link DaemonOptions}. */
export interface DaemonizeOptions extends DaemonOptions {
  /**
   * The daemon reports readiness itself with `handle.ready()` (after binding a port, for instance)
   * or `handle.fail(error)`. Otherwise it is ready as `daemonize()` returns in the daemon.
   * @default false
   */
  manualReady?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_UMASK = 0o022;
