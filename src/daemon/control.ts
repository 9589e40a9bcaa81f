import { setTimeout as delay } from 'node:timers/promises';
import { DaemonspecError } from '../errors.js';
import { signalNumber } from '../ffi/constants.js';
import { kill } from '../ffi/libc.js';
import { isAlive, readPidfile, removeStalePidfile, type PidfileInfo } from './pidfile.js';

/** LSB init-script status codes. */
export const LSB = { running: 0, deadWithPidfile: 1, notRunning: 3, unknown: 4 } as const;

export interface DaemonStatus {
  /** 0 running, 1 dead but the pidfile exists, 3 not running (LSB). */
  code: 0 | 1 | 3;
  pid: number | null;
  /** Whether the pidfile lock is held (the daemon, or a start in progress). */
  locked: boolean;
  message: string;
}

/** Status of the daemon a pidfile names, as LSB `status` reports it. */
export function daemonStatus(options: { pidfile: string }): DaemonStatus {
  const info = readPidfile(options.pidfile);
  return statusOf(info);
}

function statusOf(info: PidfileInfo): DaemonStatus {
  if (!info.exists) return { code: 3, pid: null, locked: false, message: `not running (no pidfile ${info.path})` };
  if (info.pid !== null && info.alive) {
    return { code: 0, pid: info.pid, locked: info.locked, message: `running (PID ${info.pid})${info.locked ? '' : ', but nothing holds the pidfile lock'}` };
  }
  if (info.locked) return { code: 0, pid: info.pid, locked: true, message: `starting (pidfile ${info.path} is locked)` };
  return { code: 1, pid: info.pid, locked: false, message: `dead, but pidfile ${info.path} exists${info.pid === null ? ' (no pid in it)' : ` (PID ${info.pid})`}` };
}

export interface StopOptions {
  pidfile: string;
  /** Signal name or number. @default 'SIGTERM' */
  signal?: string | number;
  /** Milliseconds to wait for the exit before SIGKILL. @default 10000 */
  timeout?: number;
  /**
   * Signal the pid even when nobody holds the pidfile lock (a pidfile written by a tool that does
   * not lock). Without it such a pid is not signalled: a daemonspec daemon holds the lock for its
   * whole life, so an unlocked pidfile naming a live pid most likely names a reused pid.
   * @default false
   */
  force?: boolean;
}

export interface StopResult {
  pid: number | null;
  /** Whether a process was signalled; false when nothing was running. */
  stopped: boolean;
  /** Whether SIGKILL was needed. */
  killed: boolean;
  message: string;
}

async function waitGone(pid: number, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await delay(10);
  }
  return !isAlive(pid);
}

/**
 * Stops the daemon a pidfile names: sends `signal`, waits for it to exit, escalates to SIGKILL
 * after `timeout` (saying so), and removes the pidfile once nobody holds its lock.
 */
export async function stopDaemon(options: StopOptions): Promise<StopResult> {
  const signal = typeof options.signal === 'number' ? options.signal : signalNumber(options.signal ?? 'SIGTERM');
  if (signal === undefined) throw new DaemonspecError('EUSAGE', `unknown signal ${options.signal}: use a name such as TERM, INT, HUP or a number`);
  const timeout = options.timeout ?? 10_000;
  const info = readPidfile(options.pidfile);
  if (info.pid === null || !info.alive) {
    removeStalePidfile(options.pidfile);
    return { pid: info.pid, stopped: false, killed: false, message: `not running${info.exists ? ` (removed stale pidfile ${options.pidfile})` : ''}` };
  }
  const pid = info.pid;
  if (!info.locked && !options.force) {
    throw new DaemonspecError(
      'ENOTRUNNING',
      `pidfile ${options.pidfile} names PID ${pid}, but nothing holds its lock: the daemon that wrote it is gone and PID ${pid} is ` +
        `probably an unrelated process that reused the number, so it was not signalled. If it really is your daemon ` +
        `(its pidfile was written by a tool that does not lock it), stop it with --force.`,
      { pid, path: options.pidfile },
    );
  }
  kill(pid, signal);
  let killed = false;
  if (!(await waitGone(pid, Date.now() + timeout))) {
    kill(pid, 9);
    killed = true;
    if (!(await waitGone(pid, Date.now() + 5000))) {
      throw new DaemonspecError('ETIMEOUT', `PID ${pid} survived SIGKILL for 5 s (stuck in the kernel?): check it with \`ps -o stat,wchan -p ${pid}\``, { pid });
    }
  }
  removeStalePidfile(options.pidfile);
  return {
    pid,
    stopped: true,
    killed,
    message: killed ? `PID ${pid} did not exit within ${timeout} ms of signal ${signal}; killed it with SIGKILL` : `stopped PID ${pid}`,
  };
}
