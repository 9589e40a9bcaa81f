import { reapNow } from '../ffi/libc.js';
import { childrenOf, descendantsOf, envValue, inspect, processesWhere, processStartTime, processSummary, type ProcessSummary } from '../inspect/index.js';
import { isolatedRunners } from './isolated-runners.js';
import { liveLaunchers } from './launcher.js';
import { newScopeTag, taggedForAnotherCheck } from './scope-tag.js';
import { MARKER_NAME } from './traps.js';
import { currentOs } from '../ffi/platform.js';
import { caretakerPid } from './caretaker.js';

/**
 * The processes that belong to one check: every process carrying the check's environment
 * marker, plus the orphans this process adopted as subreaper after the launcher started (a
 * daemon that sanitised its environment keeps neither the marker nor a way to find it otherwise).
 */
export interface CheckScope {
  checkerPid: number;
  launcherPid: number;
  /** Launcher start time: adopted children older than this are not ours. */
  launcherStart: number;
  markerValue: string;
  /** The check's tag (scope-tag.ts), or null: an orphan carrying another check's tag is not ours. */
  tag: number | null;
  /** Sessions seen among our processes: a zombie adopted from one of them is ours to reap. */
  knownSessions: Set<number>;
  /**
   * Every process counted as this check's, with its start time when first seen: a pid named later
   * (the daemon, to stop it) that is alive under another start time is another process now.
   */
  seenStarts: Map<number, number>;
  /**
   * The checking process's own children from before the launch (pid → start time): children, not
   * orphans adopted. Start times tick every 10 ms, so one started just before the launcher can
   * look as young as it, and so can a daemon adopted in the launcher's first tick.
   */
  ownChildren: Map<number, number>;
}

const MACOS = currentOs() === 'darwin';
const LINUX = currentOs() === 'linux';

/** The checking process's children now, to tell them from orphans adopted later (CheckScope.ownChildren). */
function ownChildren(checkerPid: number): Map<number, number> {
  const children = childrenOf(checkerPid).map((pid) => processSummary(pid));
  return new Map(children.filter((p): p is ProcessSummary => p !== null).map((p) => [p.pid, p.startTime]));
}

/** Every marker this process has given a check's launcher (an interrupted `check` kills what carries one). */
const markersGiven = new Set<string>();

/**
 * Whether `p` is a process this process's checks started: it carries the marker of one of them,
 * or it is this process's child (a launcher, a daemon adopted as subreaper).
 */
export function startedByTheseChecks(p: ProcessSummary): boolean {
  if (p.pid === caretakerPid()) return false; // it cleans up after a SIGKILL; an interrupt is not one
  if (p.ppid === process.pid) return true;
  const marker = envValue(p.pid, MARKER_NAME);
  return typeof marker === 'string' && markersGiven.has(marker);
}

/**
 * Starts a check's launcher (`launch`, given the check's tag to plant) and makes the check's scope.
 * The checker's own children are read first: read after the launch, a daemon already orphaned and
 * adopted (a fork chain takes a few ms, and a loaded machine can keep Node off the CPU longer)
 * would pass for one of them.
 */
export function launchInScope<L extends { pid: number }>(markerValue: string, launch: (tag: number | null) => L): { launcher: L; scope: CheckScope } {
  const before = ownChildren(process.pid);
  markersGiven.add(markerValue);
  const tag = newScopeTag();
  const launcher = launch(tag);
  const scope: CheckScope = {
    checkerPid: process.pid,
    launcherPid: launcher.pid,
    launcherStart: processStartTime(launcher.pid) ?? 0,
    markerValue,
    tag,
    knownSessions: new Set([launcher.pid]),
    seenStarts: new Map(),
    ownChildren: before,
  };
  return { launcher, scope };
}

function ownChild(scope: CheckScope, p: ProcessSummary): boolean {
  return scope.ownChildren.get(p.pid) === p.startTime;
}

/**
 * Another check's launcher, or a process of its session, or the runner of an isolated check:
 * never ours, when checks run concurrently in one process. (A launcher is a session leader: its
 * pid is its session id.)
 */
function othersCheck(scope: CheckScope, p: ProcessSummary): boolean {
  if (isolatedRunners.has(p.pid)) return true;
  return (liveLaunchers.has(p.pid) || liveLaunchers.has(p.sid)) && p.pid !== scope.launcherPid && p.sid !== scope.launcherPid;
}

/**
 * Ours: it carries this check's marker; or it is an orphan this process adopted that carries no
 * marker or tag of another check (a daemon that sanitised its environment can be found no other way).
 */
function belongs(scope: CheckScope, p: ProcessSummary): boolean {
  const marker = envValue(p.pid, MARKER_NAME);
  if (marker === scope.markerValue) return p.ppid !== scope.launcherPid;
  // Unknown (macOS leaves a restricted binary's environment out of KERN_PROCARGS2): a process in
  // a session this check already knows (the launcher's, or one of its daemons') is ours.
  // (Linux: null only for another user's process, judged as before.)
  if (marker === null && MACOS && scope.knownSessions.has(p.sid)) return p.ppid !== scope.launcherPid;
  return p.ppid === scope.checkerPid && !ownChild(scope, p) && (marker === undefined || marker === null) && !taggedForAnotherCheck(p.pid, scope.tag);
}

/**
 * How to look for a check's processes. 'scan' reads every process: it also finds a marked process
 * outside the checker's tree. 'tree' (Linux) walks down from the checker: every process of the
 * check is in that tree, since the checker is its subreaper or PID 1, and the walk costs a few
 * reads instead of one per process of the machine; the polling loops use it, a final 'scan'
 * confirms. Off Linux both scan.
 */
export type ScopeSearch = 'scan' | 'tree';

/** Every live process of this check except the launcher and its helpers (children of the launcher). */
export function scopeProcesses(scope: CheckScope, search: ScopeSearch = 'scan'): ProcessSummary[] {
  const ours = (p: ProcessSummary): boolean =>
    p.pid !== scope.launcherPid &&
    !othersCheck(scope, p) &&
    p.pid !== scope.checkerPid &&
    p.state !== 'Z' &&
    p.startTime >= scope.launcherStart &&
    belongs(scope, p);
  const found = search === 'tree' && LINUX ? descendantsOf(scope.checkerPid).filter(ours) : processesWhere(ours);
  for (const p of found) {
    scope.knownSessions.add(p.sid);
    if (!scope.seenStarts.has(p.pid)) scope.seenStarts.set(p.pid, p.startTime);
  }
  return found;
}

/** The top-level ones: processes whose parent is not itself one of them (a daemon, not its workers). */
export function topLevel(processes: readonly ProcessSummary[]): ProcessSummary[] {
  const pids = new Set(processes.map((p) => p.pid));
  return processes.filter((p) => !pids.has(p.ppid));
}

/**
 * Reaps the zombies this process adopted as subreaper for this check (intermediate children
 * of a double fork, a daemon that died). Only zombies from the launcher's session or a session
 * seen during the check: other children of this Node process are libuv's to reap.
 */
export function reapAdoptedZombies(scope: CheckScope): number[] {
  const reaped: number[] = [];
  // This process's children only (Linux: /proc/self/task/*/children), not a scan of every process:
  // the checker calls this in every wait loop.
  const children = childrenOf(scope.checkerPid)
    .map((pid) => processSummary(pid))
    .filter((p): p is ProcessSummary => p !== null);
  const zombies = children.filter(
    (p) =>
      p.ppid === scope.checkerPid &&
      p.state === 'Z' &&
      p.pid !== scope.launcherPid &&
      !othersCheck(scope, p) &&
      !ownChild(scope, p) &&
      p.startTime >= scope.launcherStart &&
      (p.sid === scope.launcherPid || scope.knownSessions.has(p.sid) || scope.knownSessions.has(p.pid)),
  );
  for (const z of zombies) {
    try {
      if (reapNow(z.pid)) reaped.push(z.pid);
    } catch {
      // ECHILD: somebody else reaped it
    }
  }
  return reaped;
}

/** A cheap fingerprint of what the daemon(s) look like now, to tell when set-up has settled. */
export function fingerprint(pids: readonly number[]): string {
  return pids
    .map((pid) => {
      try {
        const s = inspect(pid);
        return JSON.stringify([
          s.pid,
          s.ppid,
          s.sid,
          s.pgid,
          s.umask,
          s.cwd,
          s.tty?.device ?? 0,
          s.fds?.map((f) => `${f.fd}:${f.target}`),
          s.signals.blocked,
          s.signals.ignored,
        ]);
      } catch {
        return `${pid}:gone`;
      }
    })
    .join('|');
}
