import { closeSync, writeSync } from 'node:fs';
import { DaemonspecError } from '../errors.js';
import { setCloexec } from '../ffi/libc.js';
import type { DaemonMarker } from './marker.js';
import { sdNotify } from './notify.js';
import { removeOwnPidfile } from './pidfile.js';
import { removePidfileOnTerm } from './term-cleanup.js';

/** What daemonize() returns in the daemon. */
export interface DaemonHandle {
  /** The daemon's pid (the pid in the pidfile). */
  readonly pid: number;
  /** Absolute pidfile path, or null. */
  readonly pidfile: string | null;
  /** Whether ready() (or fail()) was called already. */
  readonly settled: boolean;
  /**
   * Reports readiness: the original process exits 0 (or spawnDaemon resolves). Also sends
   * `READY=1` to NOTIFY_SOCKET when set (systemd Type=notify). Idempotent.
   */
  ready(): void;
  /** Reports a failed start: the original exits non-zero printing `error`; this process exits 1. */
  fail(error: unknown): never;
}

function errorPayload(error: unknown): Record<string, unknown> {
  if (error instanceof DaemonspecError) return { ...error.toJSON(), ...(error.stack ? { stack: error.stack } : {}) };
  if (error instanceof Error) return { message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { message: String(error) };
}

/** The daemon's side: takes over the fds named by the marker and builds the handle. */
export function daemonHandle(marker: DaemonMarker): DaemonHandle {
  // Children of the daemon must inherit neither the readiness pipe nor the pidfile lock
  // (knsd/daemonize#39: a lock inherited by grandchildren blocked the next start).
  setCloexec(marker.statusFd, true);
  if (marker.lockFd !== null) setCloexec(marker.lockFd, true);
  let settled = false;
  let statusOpen = true;
  const send = (line: string): void => {
    if (!statusOpen) return;
    try {
      writeSync(marker.statusFd, `${line}\n`);
    } catch {
      // the original is gone: nobody to tell
    }
    closeSync(marker.statusFd);
    statusOpen = false;
  };
  if (marker.pidfile !== null && marker.lockFd !== null) {
    const { pidfile, lockFd } = marker;
    process.on('exit', () => removeOwnPidfile(pidfile, lockFd));
    removePidfileOnTerm(() => removeOwnPidfile(pidfile, lockFd));
  }
  const onUncaught = (error: unknown): void => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    handle.fail(error);
  };
  const handle: DaemonHandle = {
    pid: process.pid,
    pidfile: marker.pidfile,
    get settled() {
      return settled;
    },
    ready() {
      if (settled) return;
      settled = true;
      process.off('uncaughtException', onUncaught);
      send('ready');
      try {
        sdNotify(`READY=1\nMAINPID=${process.pid}`);
      } catch {
        // a NOTIFY_SOCKET nobody listens on must not kill the daemon
      }
    },
    fail(error: unknown): never {
      if (!settled) {
        settled = true;
        send(`fail ${JSON.stringify(errorPayload(error))}`);
      }
      process.exit(1);
    },
  };
  if (marker.manualReady) process.on('uncaughtException', onUncaught);
  return handle;
}
