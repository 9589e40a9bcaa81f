import { kill } from '../../ffi/libc.js';
import { isRunning, processesWhere, processStartTime } from '../../inspect/index.js';
import { type CheckScope, reapAdoptedZombies, scopeProcesses } from '../adopted.js';

const POLL_MS = 20;

/** pid → start time, so a signal never reaches a reused pid. */
export type Targets = Map<number, number>;

/**
 * The daemon and everything it started: the processes of the check's scope and the daemon's
 * descendants (a worker that dropped the check's marker is still its child).
 */
export function daemonAndDescendants(scope: CheckScope, daemon: number): Targets {
  const targets: Targets = new Map();
  const start = processStartTime(daemon);
  if (start !== null && isRunning(daemon, start)) targets.set(daemon, start);
  for (const p of scopeProcesses(scope)) targets.set(p.pid, p.startTime);
  const all = processesWhere((p) => p.state !== 'Z');
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!targets.has(p.pid) && targets.has(p.ppid)) {
        targets.set(p.pid, p.startTime);
        grew = true;
      }
    }
  }
  return targets;
}

/** Sends `signal` to each target still alive (EPERM and ESRCH are ignored). */
export function signalTargets(targets: Targets, signal: number): void {
  for (const [pid, start] of targets) {
    if (!isRunning(pid, start)) continue;
    try {
      kill(pid, signal);
    } catch {
      // not ours to signal, or gone: what is left stays a survivor
    }
  }
}

/** Waits until every target has ended or the deadline passes (reaping what the check adopted); returns the survivors. */
export async function waitGone(scope: CheckScope, targets: Targets, deadline: number): Promise<number[]> {
  const left = new Map(targets);
  for (;;) {
    reapAdoptedZombies(scope);
    for (const [pid, start] of left) if (!isRunning(pid, start)) left.delete(pid);
    if (left.size === 0 || Date.now() >= deadline) return [...left.keys()].sort((a, b) => a - b);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
