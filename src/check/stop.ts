import { kill } from '../ffi/libc.js';
import { isRunning, processStartTime } from '../inspect/index.js';
import { type CheckScope, reapAdoptedZombies, type ScopeSearch, scopeProcesses } from './adopted.js';
import type { CleanupResult } from './report-types.js';

const TERM_GRACE_MS = 3000;
const KILL_GRACE_MS = 2000;

async function waitGone(targets: Map<number, number>, scope: CheckScope, deadline: number): Promise<void> {
  for (;;) {
    reapAdoptedZombies(scope);
    for (const [pid, start] of targets) if (!isRunning(pid, start)) targets.delete(pid);
    if (targets.size === 0 || Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Stops everything the check started: the daemon and every other process of the scope (marker
 * carriers, adopted orphans). SIGTERM, then SIGKILL after a grace period; reaps what was adopted.
 * Signals go only to (pid, start time) pairs seen alive, never to a reused pid: `extra` pids keep
 * the start time they had when the check found them (CheckScope.seenStarts).
 */
export async function stopEverything(scope: CheckScope, extra: readonly number[]): Promise<CleanupResult> {
  const targets = new Map<number, number>();
  // The first look scans every process; the later ones, for orphans handed to the checker by a
  // kill, walk its tree.
  const collect = (search: ScopeSearch = 'tree'): void => {
    for (const p of scopeProcesses(scope, search)) if (!targets.has(p.pid)) targets.set(p.pid, p.startTime);
  };
  for (const pid of extra) {
    // The start time from when the check found it: read now, a pid reused since would pass.
    const start = scope.seenStarts.get(pid) ?? processStartTime(pid);
    if (start !== null && isRunning(pid, start)) targets.set(pid, start);
  }
  collect('scan');
  const stopped = new Set<number>();
  const signal = (sig: number): void => {
    for (const [pid, start] of targets) {
      if (!isRunning(pid, start)) continue;
      try {
        if (kill(pid, sig)) stopped.add(pid);
      } catch {
        // EPERM: not ours to stop; it stays in leftRunning
      }
    }
  };
  signal(15);
  await waitGone(targets, scope, Date.now() + TERM_GRACE_MS);
  // Killing a process hands its children to us (subreaper): a child without the marker (env -i)
  // only becomes ours then, so collect and kill again until no new process appears.
  const killDeadline = Date.now() + KILL_GRACE_MS;
  for (;;) {
    collect();
    if (targets.size === 0) break;
    signal(9);
    await waitGone(targets, scope, killDeadline);
    if (Date.now() >= killDeadline) {
      collect();
      break;
    }
  }
  reapAdoptedZombies(scope);
  return { stopped: [...stopped].sort((a, b) => a - b), leftRunning: [...targets.keys()].sort((a, b) => a - b) };
}
