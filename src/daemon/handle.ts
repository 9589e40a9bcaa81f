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

/** The longest message and stack a failure sends (the original prints them). */
const MAX_MESSAGE = 1000;
const MAX_STACK = 8000;

/** `value` as text, whatever it is: String() may throw (a throwing toString, a null-prototype object). */
function textOf(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** The first line of `text`, cut to `max` characters: the original prints the message as one line. */
function oneLine(text: string, max: number): string {
  const line = text.split('\n', 1)[0]!;
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** What fail() sends as JSON: never throws, whatever `error` is (circular, with throwing getters). */
function errorPayload(error: unknown): string {
  try {
    const base = error instanceof DaemonspecError ? error.toJSON() : {};
    const message = error instanceof Error ? textOf(error.message) : textOf(error);
    const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack.slice(0, MAX_STACK) : undefined;
    return JSON.stringify({ ...base, message: oneLine(message, MAX_MESSAGE), ...(stack === undefined ? {} : { stack }) });
  } catch {
    return JSON.stringify({ message: oneLine(textOf(error), MAX_MESSAGE) });
  }
}

/**
 * The daemon's side: takes over the fds named by the marker, builds the handle and, unless
 * manualReady, reports ready at once. Children of the daemon must inherit neither the readiness
 * pipe nor the pidfile lock (knsd/daemonize#39: a lock inherited by grandchildren blocked the
 * next start): both are close-on-exec before the script's own code runs again. Without
 * manualReady, ready() closes the pipe first, and the lock is marked after it: that fcntl loads
 * koffi (about 4 ms), which the original then no longer waits for (issue 14.1).
 */
export function daemonHandle(marker: DaemonMarker): DaemonHandle {
  if (marker.manualReady) setCloexec(marker.statusFd, true);
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
        send(`fail ${errorPayload(error)}`);
      } else {
        // After ready() the original is gone: the daemon's own stderr is where the error can go.
        process.stderr.write(`daemon failed: ${error instanceof Error ? textOf(error.stack ?? error.message) : textOf(error)}\n`);
      }
      process.exit(1);
    },
  };
  if (marker.manualReady) {
    process.on('uncaughtException', onUncaught);
    if (marker.lockFd !== null) setCloexec(marker.lockFd, true); // a failure here fails the start
  } else {
    handle.ready();
    if (marker.lockFd !== null) markLockCloseOnExec(marker.lockFd);
  }
  return handle;
}

/**
 * Marks the pidfile lock close-on-exec. Without manualReady the original has been told "ready"
 * already: a failure here (the fd closed under us) is named on stderr, the daemon's log, rather
 * than thrown at a caller whose start was reported a success.
 */
function markLockCloseOnExec(lockFd: number): void {
  try {
    setCloexec(lockFd, true);
  } catch (error) {
    const reason = error instanceof Error ? error.message : textOf(error);
    process.stderr.write(`daemonspec: the pidfile lock (fd ${lockFd}) could not be marked close-on-exec: ${reason}; the daemon's children may inherit it\n`);
  }
}
