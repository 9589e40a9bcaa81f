import { pidInFile } from '../daemon/pidfile.js';
import { isRunning, processSummary } from '../inspect/index.js';
import { type CheckScope, fingerprint, reapAdoptedZombies, scopeProcesses, topLevel } from './adopted.js';
import { type LogWindow, readLogWindow } from './log-window.js';
import { logRegex } from './rules/rule.js';

/** How long the daemon's state must stay unchanged to count as settled (no readiness evidence). */
const STABLE_MS = 150;
/** With nothing of ours left alive for this long, nothing can appear any more. */
const EMPTY_MS = 300;
const POLL_MS = 20;

export interface FindRequest {
  scope: CheckScope;
  pidfile?: string | undefined;
  readyLog?: string | undefined;
  /** The logs, read from where they stood before the launch. */
  logs: LogWindow[];
  deadline: number;
}

export interface FindResult {
  /** The judged daemon, or null. */
  daemon: number | null;
  /** Every top-level process of the check (more than one: it daemonized twice). */
  candidates: number[];
  /** Why `daemon` is null, in one line. */
  noDaemonReason: string;
  notes: string[];
}

/** Whether `pid` is a live process of this check (carries its marker, or was adopted during it). */
function inScope(scope: CheckScope, pid: number): boolean {
  return scopeProcesses(scope).some((p) => p.pid === pid);
}

function readLogs(windows: readonly LogWindow[]): string {
  return windows.map((w) => readLogWindow(w) ?? '').join('\n');
}

/**
 * Finds the daemon after the original process exited: through the pidfile when given, else
 * as the single top-level orphan adopted by the checker or carrying the check's marker. Waits
 * until it settles: the readiness evidence is there (pidfile naming a live process, the ready-log
 * line) and nothing about the candidates changed for STABLE_MS; or nothing is left alive.
 * Reaps adopted zombies along the way.
 */
export async function findDaemon(request: FindRequest): Promise<FindResult> {
  const { scope, deadline } = request;
  const notes: string[] = [];
  if (request.pidfile === undefined && request.readyLog === undefined) {
    notes.push(`settled by ${STABLE_MS} ms without change; give --ready-log or --pidfile for a reliable point`);
  }
  const ready = request.readyLog === undefined ? null : logRegex(request.readyLog);
  let lastPrint = '';
  let stableSince = Date.now();
  let emptySince: number | null = null;
  let candidates: number[] = [];
  let timedOut = false;
  for (;;) {
    reapAdoptedZombies(scope);
    const ours = scopeProcesses(scope, 'tree');
    candidates = topLevel(ours).map((p) => p.pid);
    const now = Date.now();
    if (candidates.length === 0) {
      emptySince ??= now;
      if (now - emptySince >= EMPTY_MS) break;
    } else {
      emptySince = null;
    }
    const pid = request.pidfile === undefined ? null : pidInFile(request.pidfile);
    // Only a process of this check is readiness evidence: a pidfile naming any other is not.
    const pidfileReady = request.pidfile === undefined || (pid !== null && ours.some((p) => p.pid === pid));
    const logReady = ready === null || ready.test(readLogs(request.logs));
    const print = `${candidates.join(',')}#${fingerprint(candidates)}`;
    if (print !== lastPrint) {
      lastPrint = print;
      stableSince = now;
    }
    if (candidates.length > 0 && pidfileReady && logReady && now - stableSince >= STABLE_MS) break;
    if (now >= deadline) {
      timedOut = true;
      if (!pidfileReady) notes.push(`the pidfile ${request.pidfile} did not name a running process before the timeout`);
      if (!logReady) notes.push(`no log line matched the ready-log /${request.readyLog}/ before the timeout`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  // The loop walked the checker's tree; one scan of every process confirms (a marked process
  // outside the tree, started through some other parent, is ours too).
  candidates = topLevel(scopeProcesses(scope, 'scan')).map((p) => p.pid);
  const fromPidfile = request.pidfile === undefined ? null : pidInFile(request.pidfile);
  if (fromPidfile !== null && isRunning(fromPidfile)) {
    if (!inScope(scope, fromPidfile)) {
      // Never judge (and so never stop) a process the check did not start: a stale or wrong
      // pidfile can name any process of the machine.
      const summary = processSummary(fromPidfile);
      const reason = `the pidfile ${request.pidfile} names PID ${fromPidfile} (${summary?.name ?? '?'}), which this check did not start`;
      notes.push(reason);
      return { daemon: null, candidates, noDaemonReason: reason, notes };
    }
    if (candidates.length > 1) notes.push(`the command left ${candidates.length} daemons (pids ${candidates.join(', ')}); judging ${fromPidfile}, named by the pidfile`);
    return { daemon: fromPidfile, candidates, noDaemonReason: '', notes };
  }
  if (candidates.length === 1) {
    if (timedOut) notes.push('the daemon had not settled by the timeout; judged as it was then');
    return { daemon: candidates[0]!, candidates, noDaemonReason: '', notes };
  }
  if (candidates.length > 1) {
    const reason = `no single daemon: the command left ${candidates.length} processes (pids ${candidates.join(', ')}); give --pidfile to say which one to judge`;
    notes.push(reason);
    return { daemon: null, candidates, noDaemonReason: reason, notes };
  }
  return { daemon: null, candidates, noDaemonReason: 'no daemon found: nothing the command started is still running', notes };
}
