import { lstatSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { SIGNALS } from '../ffi/constants.js';
import { kill } from '../ffi/libc.js';
import { inodeOpeners, isRunning, processSummary } from '../inspect/processes.js';

/** A process that holds a daemon's pidfile lock after the daemon exited, as it was when found. */
export interface LockInheritor {
  pid: number;
  startTime: number;
}

/** The pidfile a stop read: its file (device and inode) and the session of the daemon it named. */
export interface StoppedPidfile {
  device: number;
  inode: number;
  /** The daemon's session id, read before it was signalled (null: it was already gone). */
  session: number | null;
}

/**
 * The processes that still hold a daemon's pidfile lock once the daemon is gone: its children that
 * inherited the lock fd (a shell daemon's background jobs, a server's workers). Processes of the
 * daemon's session that, on Linux, hold the locked open file description (fdinfo names it), or,
 * where the OS does not say (macOS), have the file open. The session bounds it: a pidfile is
 * readable by all, and another user's process that took the lock once the daemon died (or was
 * handed such an fd) is not in the daemon's session, which no process can join. Only the file the
 * stop read counts: a pidfile renamed over the path since (a new start) is another file.
 */
export function lockInheritors(pidfile: StoppedPidfile): LockInheritor[] {
  // A daemon in the stop's own session is no session of its own (a tool's pidfile named a
  // process of the caller's login session): nothing of that session is the daemon's to stop.
  const ownSession = processSummary(process.pid)?.sid ?? null;
  if (pidfile.session === null || pidfile.session === ownSession) return [];
  const spared = ancestorsOfThisProcess();
  const found = new Map<number, LockInheritor>();
  for (const opener of inodeOpeners(pidfile.device, pidfile.inode)) {
    if (spared.has(opener.pid) || opener.flock === false) continue;
    const summary = processSummary(opener.pid);
    if (summary === null || summary.state === 'Z' || summary.sid !== pidfile.session) continue;
    found.set(opener.pid, { pid: opener.pid, startTime: summary.startTime });
  }
  return [...found.values()];
}

/**
 * This process and its ancestors: a stop run from inside the daemon's session (a deploy script
 * the daemon started) must not stop the shell that runs it, nor itself (a review).
 */
function ancestorsOfThisProcess(): Set<number> {
  const out = new Set<number>();
  for (let pid = process.pid; pid > 1 && !out.has(pid); ) {
    out.add(pid);
    const parent = processSummary(pid)?.ppid;
    if (parent === undefined) break;
    pid = parent;
  }
  return out;
}

/** Whether the pidfile's path still names the file the stop read (a new start renames another over it). */
export function stillTheFile(path: string, pidfile: StoppedPidfile): boolean {
  try {
    const st = lstatSync(path);
    return st.ino === pidfile.inode && st.dev === pidfile.device;
  } catch {
    return false;
  }
}

function signalEach(inheritors: readonly LockInheritor[], signal: number): void {
  for (const { pid, startTime } of inheritors) {
    if (!isRunning(pid, startTime)) continue; // gone, or its pid reused since it was found
    try {
      kill(pid, signal);
    } catch {
      // exited meanwhile
    }
  }
}

async function allGone(inheritors: readonly LockInheritor[], deadline: number): Promise<boolean> {
  for (;;) {
    if (inheritors.every(({ pid, startTime }) => !isRunning(pid, startTime))) return true;
    if (Date.now() >= deadline) return false;
    await delay(10);
  }
}

/**
 * Stops the inheritors as the daemon was stopped: `signal`, then SIGKILL for those left at
 * `deadline`. `killed`: SIGKILL was sent to some; `left`: those that survived it too (stuck in the
 * kernel), whose pids the message names.
 */
export async function stopInheritors(inheritors: readonly LockInheritor[], signal: number, deadline: number): Promise<{ killed: boolean; left: number[] }> {
  signalEach(inheritors, signal);
  if (await allGone(inheritors, deadline)) return { killed: false, left: [] };
  signalEach(inheritors, SIGNALS.SIGKILL);
  await allGone(inheritors, Date.now() + 5000);
  return { killed: true, left: inheritors.filter(({ pid, startTime }) => isRunning(pid, startTime)).map(({ pid }) => pid) };
}
