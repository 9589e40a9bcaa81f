import { processSummary } from '../inspect/index.js';
import type { Snapshot } from '../inspect/snapshot.js';
import { type CheckScope, scopeProcesses } from './adopted.js';

/**
 * Why the terminal's hang-up cannot reach the daemon, or null when it might. When the checker
 * closes the pty master, the kernel sends SIGHUP (and SIGCONT) to the terminal's session: its
 * leader, its foreground group, and the processes that have the terminal as their controlling
 * terminal; the launcher's exit then hangs up the orphaned process groups of its own session that
 * hold a stopped process. Anything else the hang-up does, it does through the terminal's fds
 * (reads end, writes fail with EIO) or through a process that dies of it (a parent's death
 * signal, a worker's SIGCHLD). A daemon outside that session, without a controlling terminal and
 * any terminal fd, whose parent and fellow processes are outside the session too, is reached by
 * none of these: whether it survives is known the moment the hang-up is done, and the
 * survives-hangup window ends there. Decided before the hang-up, on the state judged.
 */
export function whyHangupCannotReach(scope: CheckScope, daemon: Snapshot, launcherSession: number): string | null {
  if (daemon.sid === launcherSession) return null;
  if (daemon.tty !== null) return null;
  if (daemon.fds === null || daemon.fds.some((fd) => fd.kind === 'tty')) return null;
  const parent = processSummary(daemon.ppid);
  if (parent !== null && parent.sid === launcherSession) return null;
  if (scopeProcesses(scope).some((p) => p.sid === launcherSession)) return null;
  return "the daemon is outside the terminal's session, has no controlling terminal and no terminal fd, and neither its parent nor any process of the check is in that session: no signal or EIO of the hang-up can reach it";
}
