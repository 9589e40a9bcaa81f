import { lstatSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { DaemonspecError, isDaemonspecError } from '../errors.js';
import { C, SIGNALS, signalName, signalNumber } from '../ffi/constants.js';
import { kill } from '../ffi/libc.js';
import { checkPidfileTrust } from './pidfile-trust.js';
import { isRunning, processSummary } from '../inspect/processes.js';
import { lockInheritors, stillTheFile, stopInheritors, type StoppedPidfile } from './lock-inheritors.js';
import { describeHolders, holdsFlock, orphanedLockMessage, readPidfile, removeStalePidfile, type PidfileInfo } from './pidfile.js';

/** LSB init-script status codes. */
export const LSB = { running: 0, deadWithPidfile: 1, notRunning: 3, unknown: 4 } as const;

/** What a pidfile says, from its lock and whether its pid lives: the one classification status and stop share. */
export type PidfileState =
  /** No pidfile. */
  | 'absent'
  /** Locked, pid alive: a daemon runs. */
  | 'running'
  /**
   * Locked, pid alive, but the lock is held by other processes and not by that pid (Linux names
   * the holders): the daemon closed its pidfile fd and a child of it keeps the lock, or the pid
   * was reused after the daemon died, or something wrote it into the file.
   */
  | 'lock-elsewhere'
  /** A start is in progress (its locked temporary file is next to the path), no live pid yet. */
  | 'starting'
  /** Locked, but the pid in it is dead: another process (a child of the daemon) holds the inherited lock. */
  | 'orphaned-lock'
  /** Not locked, pid alive: the daemon closed its pidfile fd, or the pid was reused. */
  | 'unlocked'
  /** Not locked, pid dead or missing. */
  | 'stale';

export interface DaemonStatus {
  /** 0 running, 1 dead but the pidfile exists, 3 not running, 4 unknown (LSB). */
  code: 0 | 1 | 3 | 4;
  state: PidfileState;
  pid: number | null;
  /** Whether the pidfile lock is held (the daemon, a start in progress, or a child that inherited it). */
  locked: boolean;
  message: string;
}

/**
 * Status of the daemon a pidfile names, as LSB `status` reports it. A pidfile another user could
 * have written or replaced is refused (EPIDFILE, saying why) unless `force` (src/daemon/pidfile-trust.ts).
 */
/** The pidfile option of status and stop, refused (EUSAGE) when it is no path: `daemonStatus('/x.pid')` said "cannot read pidfile undefined". */
function pidfileOption(options: unknown, entry: string): string {
  const pidfile = typeof options === 'object' && options !== null ? (options as { pidfile?: unknown }).pidfile : undefined;
  if (typeof pidfile === 'string' && pidfile !== '') return pidfile;
  const fix = typeof options === 'string' ? `pass { pidfile: ${JSON.stringify(options)} }, not the path alone` : 'the pidfile option is missing or not a path';
  throw new DaemonspecError('EUSAGE', `${entry}() needs { pidfile: PATH }: ${fix}`, { refused: true });
}

export function daemonStatus(options: { pidfile: string; force?: boolean }): DaemonStatus {
  pidfileOption(options, 'daemonStatus');
  if (!options.force) checkPidfileTrust(options.pidfile, 'status');
  return classifyPidfile(withLockHolders(readPidfile(options.pidfile)));
}

/** The info with `pidHoldsLock` found, where it matters: a locked pidfile whose pid lives. */
function withLockHolders(info: PidfileInfo): PidfileInfo {
  if (!info.locked || !info.alive || info.pid === null) return info;
  return { ...info, pidHoldsLock: holdsFlock(info.path, info.pid) };
}

/** The shared classification (status reports it; stop acts on it). */
export function classifyPidfile(info: PidfileInfo): DaemonStatus {
  const { path, pid, locked } = info;
  if (!info.exists) return { code: 3, state: 'absent', pid: null, locked: false, message: `not running (no pidfile ${path})` };
  if (locked && pid !== null && info.alive && info.pidHoldsLock === false) {
    return { code: 0, state: 'lock-elsewhere', pid, locked, message: `running (PID ${pid}), but ${lockElsewhereReason(path, pid)}` };
  }
  if (locked && pid !== null && info.alive) return { code: 0, state: 'running', pid, locked, message: `running (PID ${pid})` };
  if (info.starting) return { code: 0, state: 'starting', pid: null, locked, message: `starting (a start of pidfile ${path} is in progress; the pid is not written yet)` };
  if (locked) return { code: 1, state: 'orphaned-lock', pid, locked, message: `dead: ${orphanedLockMessage(path, pid)}` };
  if (pid !== null && info.alive) return { code: 0, state: 'unlocked', pid, locked, message: `running (PID ${pid}), but ${unlockedReason(pid)}` };
  return { code: 1, state: 'stale', pid, locked, message: `dead, but pidfile ${path} exists${pid === null ? ' (no pid in it)' : ` (PID ${pid})`}` };
}

function lockElsewhereReason(path: string, pid: number): string {
  return (
    `the pidfile lock is held by ${describeHolders(path) || 'another process'}, not by it: either the daemon closed its pidfile fd ` +
    `and a child of it keeps the lock, or PID ${pid} was reused after the daemon died, or another process wrote it into the file`
  );
}

function unlockedReason(pid: number): string {
  return `nothing holds the pidfile lock: either the daemon closed its pidfile fd, or PID ${pid} was reused by another process`;
}

export interface StopOptions {
  pidfile: string;
  /** Signal name or number. @default 'SIGTERM' */
  signal?: string | number;
  /** Milliseconds to wait for the exit before SIGKILL. @default 10000 */
  timeout?: number;
  /**
   * Signal the pid even when nobody holds the pidfile lock (a pidfile written by a tool that does
   * not lock), or when a user other than the caller or root could have written or replaced the
   * pidfile. Without it such a pid is not signalled: a daemonspec daemon holds the lock for its
   * whole life, so an unlocked pidfile naming a live pid most likely names a reused pid, and a
   * pidfile another user controls may name any process.
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
  /** The processes that still held the pidfile lock after the daemon exited (its children that inherited the lock fd), stopped too. */
  inheritors: number[];
  /** Whether the pidfile is still there, its lock held by a process the stop did not stop (the message names it). */
  pidfileLeft: boolean;
  message: string;
}

interface Released {
  /** The processes that still held the lock once the daemon was gone, signalled in turn. */
  inheritors: number[];
  /** Whether some of them needed SIGKILL, and those that survived even that. */
  killed: boolean;
  survivors: number[];
  /** A new start renamed its pidfile over the path meanwhile: that one is not this stop's. */
  replaced: boolean;
  pidfileLeft: boolean;
}

/**
 * Once the daemon is gone: removes its pidfile, after stopping what inherited its lock (a shell
 * daemon's background job, a worker; else the next start is refused) with the same signal, until
 * `deadline`, then SIGKILL. The scan for them is made only when the lock is still held.
 */
async function releasePidfile(path: string, stopped: StoppedPidfile | null, signal: number, deadline: number): Promise<Released> {
  const out: Released = { inheritors: [], killed: false, survivors: [], replaced: false, pidfileLeft: false };
  let removed = removeStalePidfile(path);
  if (!removed && stopped !== null && stillTheFile(path, stopped)) {
    const inheritors = lockInheritors(stopped);
    if (inheritors.length > 0) {
      const ended = await stopInheritors(inheritors, signal, deadline);
      Object.assign(out, { inheritors: inheritors.map((i) => i.pid), killed: ended.killed, survivors: ended.left });
      removed = removeStalePidfile(path);
    }
  }
  // A process of the chain that is exiting too (the outer sh of a start whose caller was killed)
  // may hold the lock a moment longer: a bounded moment, while the path is still the file read.
  const ours = (): boolean => stopped === null || stillTheFile(path, stopped);
  for (const until = Date.now() + 1000; !removed && ours() && readPidfile(path).exists && Date.now() < until; removed = removeStalePidfile(path)) await delay(10);
  out.replaced = !removed && !ours();
  out.pidfileLeft = !removed && !out.replaced && readPidfile(path).exists;
  return out;
}

/** How the inheritors ended, for the message. */
function inheritorsEnd(r: Released): string {
  if (r.survivors.length > 0) return ` (${pidList(r.survivors)} survived SIGKILL: stuck in the kernel?)`;
  return r.killed ? ' (SIGKILL at the timeout)' : '';
}

/** "PID 12" or "PIDs 12, 13". */
function pidList(pids: readonly number[]): string {
  return `${pids.length === 1 ? 'PID' : 'PIDs'} ${pids.join(', ')}`;
}

/** The pidfile's file and the daemon's session, read before the signal (null: the file is gone). */
function stoppedPidfile(path: string, pid: number): StoppedPidfile | null {
  try {
    const st = lstatSync(path);
    return { device: st.dev, inode: st.ino, session: processSummary(pid)?.sid ?? null };
  } catch {
    return null;
  }
}

async function waitGone(pid: number, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await delay(10);
  }
  return !isRunning(pid);
}

/** A signal name (TERM, SIGTERM) or number from 1 to NSIG-1, or a usage error before anything is read or signalled. */
function checkSignal(signal: string | number): number {
  const number = typeof signal === 'number' ? signal : /^\d+$/.test(signal) ? Number(signal) : signalNumber(signal.toUpperCase().replace(/^SIG/, ''));
  if (number === undefined || !Number.isInteger(number) || number < 1 || number >= C.NSIG) {
    throw new DaemonspecError('EUSAGE', `unknown signal ${signal}: use a name such as TERM, INT, HUP or a number from 1 to ${C.NSIG - 1}`, { refused: true });
  }
  return number;
}

/** The pidfile to stop by; one that cannot be read as one (a directory, longer than a pid line) is refused: nothing is signalled. */
function readPidfileToStop(path: string): PidfileInfo {
  try {
    return readPidfile(path);
  } catch (error) {
    throw isDaemonspecError(error) && error.code === 'EPIDFILE' ? error.markRefused() : error;
  }
}

/**
 * Stops the daemon a pidfile names: sends `signal`, waits for it to exit, escalates to SIGKILL
 * after `timeout` (saying so), and removes the pidfile once nobody holds its lock.
 */
export async function stopDaemon(options: StopOptions): Promise<StopResult> {
  pidfileOption(options, 'stopDaemon');
  const signal = checkSignal(options.signal ?? 'SIGTERM');
  const timeout = options.timeout ?? 10_000;
  if (typeof timeout !== 'number' || !(timeout >= 0)) throw new DaemonspecError('EUSAGE', `timeout must be a number of milliseconds, 0 or more (Infinity: never SIGKILL), got ${String(timeout)}`, { refused: true });
  if (!options.force) checkPidfileTrust(options.pidfile, 'stop');
  const status = classifyPidfile(withLockHolders(readPidfileToStop(options.pidfile)));
  const path = options.pidfile;
  if (status.state === 'absent') return { pid: null, stopped: false, killed: false, inheritors: [], pidfileLeft: false, message: 'not running' };
  if (status.state === 'stale') {
    const removed = removeStalePidfile(path);
    return {
      pid: status.pid,
      stopped: false,
      killed: false,
      inheritors: [],
      pidfileLeft: !removed,
      message: removed ? `not running (removed stale pidfile ${path})` : `not running (stale pidfile ${path} could not be removed: it is locked or was replaced meanwhile)`,
    };
  }
  if (status.state === 'orphaned-lock') {
    throw new DaemonspecError('ENOTRUNNING', `not running: ${orphanedLockMessage(path, status.pid)}; the pidfile was left in place while that lock is held`, {
      path,
      ...(status.pid === null ? {} : { pid: status.pid }),
    });
  }
  if (status.state === 'starting') {
    throw new DaemonspecError('ENOTRUNNING', `a start of ${path} is in progress (its pid is not written yet): wait for it to finish, then stop again`, { path });
  }
  const pid = status.pid!;
  if (pid === 1) {
    // The pidfile names init (of this PID namespace): a stop must never signal it, --force or not.
    throw new DaemonspecError('ENOTRUNNING', `pidfile ${path} names PID 1 (init), which daemonspec never signals: remove the pidfile if no daemon of yours runs`, { pid, path });
  }
  if (status.state === 'lock-elsewhere' && !options.force) {
    throw new DaemonspecError(
      'ENOTRUNNING',
      `pidfile ${path} names PID ${pid}, which runs, but ${lockElsewhereReason(path, pid)}; it was not signalled. ` +
        `If PID ${pid} is your daemon, stop it with --force.`,
      { pid, path },
    );
  }
  if (status.state === 'unlocked' && !options.force) {
    throw new DaemonspecError(
      'ENOTRUNNING',
      `pidfile ${path} names PID ${pid}, which runs, but ${unlockedReason(pid)}; it was not signalled. ` +
        `If PID ${pid} is your daemon (it closed its fds, or its pidfile was written by a tool that does not lock it), stop it with --force.`,
      { pid, path },
    );
  }
  const stopped = stoppedPidfile(path, pid);
  const deadline = Date.now() + timeout;
  kill(pid, signal);
  let killed = false;
  if (!(await waitGone(pid, deadline))) {
    kill(pid, SIGNALS.SIGKILL);
    killed = true;
    if (!(await waitGone(pid, Date.now() + 5000))) {
      throw new DaemonspecError('ETIMEOUT', `PID ${pid} survived SIGKILL for 5 s (stuck in the kernel?): check it with \`ps -o stat,wchan -p ${pid}\``, { pid });
    }
  }
  const after = await releasePidfile(path, stopped, signal, Math.max(deadline, Date.now() + Math.min(timeout, 1000)));
  const left = after.pidfileLeft ? `; pidfile ${path} was left in place: ${orphanedLockMessage(path, pid)}` : '';
  const also = after.inheritors.length === 0 ? '' : `, and ${pidList(after.inheritors)}, which had inherited its pidfile lock${inheritorsEnd(after)}`;
  const replaced = after.replaced ? `; a new start took pidfile ${path} meanwhile` : '';
  return {
    pid,
    stopped: true,
    killed,
    inheritors: after.inheritors,
    pidfileLeft: after.pidfileLeft,
    message: (killed ? `PID ${pid} did not exit within ${timeout} ms of ${signalName(signal)}; killed it with SIGKILL` : `stopped PID ${pid}`) + also + replaced + left,
  };
}
