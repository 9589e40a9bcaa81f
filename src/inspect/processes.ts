import { statSync } from 'node:fs';
import type { FileOpener, ProcessSummary } from './backend.js';
import type { FdInfo } from './snapshot.js';
import { backend } from './current.js';

export type { FileOpener, ProcessSummary } from './backend.js';

/**
 * Direct children of `pid` (sorted). A daemon adopted by a subreaper shows up here under the
 * subreaper. Empty when the process has none or does not exist.
 */
export function childrenOf(pid: number): number[] {
  return backend.childPids(pid);
}

/**
 * Every descendant of `pid` still in the process table (children, their children, ...; zombies
 * too, with state 'Z'), by walking the tree down from it (Linux: /proc/P/task/T/children)
 * instead of scanning every process. A process that is being reparented while the walk passes may
 * be missed once; callers that poll see it next time.
 */
export function descendantsOf(pid: number): ProcessSummary[] {
  const found: ProcessSummary[] = [];
  const seen = new Set<number>([pid]);
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of backend.childPids(queue.shift()!)) {
      if (seen.has(child)) continue;
      seen.add(child);
      const summary = backend.summary(child);
      if (summary === null) continue;
      found.push(summary);
      queue.push(child);
    }
  }
  return found;
}

/**
 * Every process for which `predicate` holds, from a cheap scan (Linux: /proc/P/stat only;
 * macOS: proc_listallpids + PROC_PIDTBSDINFO). Processes that exit during the scan are left out.
 * @example processesWhere((p) => p.sid === launcherSid && p.pid !== launcherPid)
 */
export function processesWhere(predicate: (process: ProcessSummary) => boolean): ProcessSummary[] {
  return backend.listProcesses().filter(predicate);
}

/** The cheap summary of one process, or null when it does not exist. */
export function processSummary(pid: number): ProcessSummary | null {
  return backend.summary(pid);
}

/**
 * Whether the process's environment (as at its execve) holds `name=value`. False when the
 * process does not exist; null when it cannot be known (another user's process, or macOS
 * hiding the environment of a restricted binary).
 */
export function hasEnvMarker(pid: number, name: string, value: string): boolean | null {
  const env = backend.environ(pid);
  if (env === null) return null;
  return env.includes(`${name}=${value}`);
}

/**
 * The argument vector of a process: [] when it does not exist, null when it cannot be read
 * (another user's process on macOS). Cheap: one read, no full snapshot.
 */
export function commandLine(pid: number): string[] | null {
  return backend.argv(pid);
}

/**
 * The value of `name` in the process's environment (as at its execve): undefined when the
 * variable is absent or the process does not exist, null when it cannot be known.
 */
export function envValue(pid: number, name: string): string | undefined | null {
  const env = backend.environ(pid);
  if (env === null) return null;
  const prefix = `${name}=`;
  return env.find((entry) => entry.startsWith(prefix))?.slice(prefix.length);
}

/**
 * The start time of `pid` (Linux: clock ticks after boot; macOS: µs since the epoch), or null
 * when there is no such process. Keep (pid, startTime) to make sure a later signal reaches
 * the same process and not a reuse of its pid.
 */
export function processStartTime(pid: number): number | null {
  return backend.summary(pid)?.startTime ?? null;
}

/**
 * The argument vector of a process as the kernel holds it, byte for byte (a Node process's own
 * process.argv has bytes that are not UTF-8 turned into U+FFFD); null where the OS does not give
 * the bytes (macOS) or they cannot be read.
 */
export function commandLineBytes(pid: number): Buffer[] | null {
  return backend.argvBytes(pid);
}

/**
 * Every process that has the file at `path` open, with the fd number (as fuser finds them:
 * Linux /proc/PID/fd, macOS libproc). Empty when the file does not exist; processes this user
 * cannot read are left out.
 */
export function fileOpeners(path: string): FileOpener[] {
  let target: { dev: number; ino: number };
  try {
    target = statSync(path);
  } catch {
    return [];
  }
  return backend.openers(target.dev, target.ino);
}

/**
 * Every process that has the file with this device and inode open (the file a path named once,
 * even if it was replaced since), or only those of `pids`.
 */
export function inodeOpeners(device: number, inode: number, pids?: readonly number[]): FileOpener[] {
  return backend.openers(device, inode, pids);
}

/** Whether this process's fds can be listed (false: it is gone, or another user's and this one is not root). */
export function fdsVisible(pid: number): boolean {
  return backend.fdsVisible(pid);
}

/** The pid tracing `pid` (a strace attached to it), or null: not traced, gone, or not known on this OS. */
export function tracerOf(pid: number): number | null {
  return backend.tracer(pid);
}

/** The soft and hard RLIMIT_NOFILE of `pid` (unlimited is Infinity), or null where it cannot be read (macOS). */
export function openFileLimitsOf(pid: number): { soft: number; hard: number } | null {
  return backend.resourceLimit(pid, 'open files');
}

/** The soft and hard RLIMIT_MSGQUEUE of `pid` (unlimited is Infinity), or null where it cannot be read (macOS). */
export function messageQueueLimitsOf(pid: number): { soft: number; hard: number } | null {
  return backend.resourceLimit(pid, 'msgqueue size');
}

/** An eventfd's own id (Linux ≥ 6.1), or null: not an eventfd, unknown, or not known on this OS. */
export function eventfdIdOf(pid: number, fd: number): number | null {
  return backend.eventfdId(pid, fd);
}

/**
 * One open fd of `pid` as a snapshot of it shows it (Linux: /proc/PID/fd; macOS: proc_pidfdinfo),
 * or null when it is not open or cannot be read. For an object the checker hands out and later
 * looks for in a daemon: both sides then come from one reader.
 */
export function openFdOf(pid: number, fd: number): FdInfo | null {
  return backend.openFd(pid, fd);
}

/** Whether `pid` is a zombie (exited, not yet reaped). False when it is running or gone. */
export function isZombie(pid: number): boolean {
  return backend.summary(pid)?.state === 'Z';
}

/** Whether `pid` is alive and not a zombie, and (if given) still has the start time recorded earlier. */
export function isRunning(pid: number, startTime?: number): boolean {
  const summary = backend.summary(pid);
  if (!summary || summary.state === 'Z') return false;
  return startTime === undefined || summary.startTime === startTime;
}
