import { randomBytes } from 'node:crypto';
import { childrenOf, inspect, isNoSuchProcess } from '../../inspect/index.js';
import type { Snapshot } from '../../inspect/snapshot.js';
import { type CheckScope, launchInScope, reapAdoptedZombies } from '../adopted.js';
import { judge } from '../judge.js';
import type { Launcher, OriginalExit } from '../launcher.js';
import { originalEnding } from '../launcher-outcome.js';
import { describeNoDaemon } from '../no-daemon.js';
import { prepareCaller, type PreparedCaller } from '../prepare-caller.js';
import { NotifyListener, type NotifyState } from '../readiness/notify-socket.js';
import type { CleanupResult, LauncherResult } from '../report-types.js';
import { type RuleContext, SERVICE_RULES } from '../rules/index.js';
import type { RunOnceResult } from '../run-once.js';
import type { RunOnceRequest } from '../run-request.js';
import { startLauncher } from '../start-launcher.js';
import { stopEverything } from '../stop.js';
import { becomeSubreaper } from '../subreaper.js';
import { makeTempDir } from '../temp-dir.js';
import { DEFAULT_STOP_TIMEOUT_MS } from '../lifecycle/request.js';
import { stopDaemon } from '../lifecycle/stop-daemon.js';

const POLL_MS = 20;
const HANGUP_GRACE_MS = 3000;

/** How the wait for READY=1 ended: the command returned, READY=1 (or ERRNO=) arrived, or the deadline passed. */
interface ServiceStart {
  mainPid: number | null;
  returned: OriginalExit | null;
  readyArrived: boolean;
  timedOut: boolean;
}

/** READY=1 arrived, or ERRNO= (a failed start): either ends the wait. */
function readiness(state: NotifyState): { ready: boolean; failed: boolean } {
  return { ready: state.messages.some((m) => m.fields.READY === '1'), failed: state.messages.some((m) => m.fields.ERRNO !== undefined) };
}

/** The command's own process: the launcher shell's child (it keeps its pid through its exec). */
function commandProcess(launcher: Launcher): number | null {
  const children = childrenOf(launcher.pid);
  return children.length === 1 ? children[0]! : null;
}

/**
 * Waits as systemd does for a Type=notify service: until READY=1 (or ERRNO=) arrives, the
 * command's own process returns, or the deadline passes. The process is looked up while it runs.
 */
async function awaitService(launcher: Launcher, listener: NotifyListener, scope: CheckScope, deadline: number): Promise<ServiceStart> {
  let mainPid: number | null = null;
  for (;;) {
    reapAdoptedZombies(scope);
    mainPid ??= commandProcess(launcher);
    const returned = await launcher.waitOriginalExit(Math.min(deadline, Date.now() + POLL_MS));
    // Again after the wait: the first look can come before the shell has forked the command, and
    // READY=1 within that first wait would otherwise leave the main process unknown.
    mainPid ??= commandProcess(launcher);
    const { ready: readyArrived, failed } = readiness(listener.sample());
    if (returned !== null || launcher.shellExit !== null) return { mainPid, returned, readyArrived, timedOut: false };
    if (readyArrived || failed) return { mainPid, returned: null, readyArrived, timedOut: false };
    if (Date.now() >= deadline) return { mainPid, returned: null, readyArrived, timedOut: true };
  }
}

function snapshotOf(pid: number | null): Snapshot | null {
  if (pid === null) return null;
  try {
    return inspect(pid);
  } catch (error) {
    if (!isNoSuchProcess(error)) throw error;
    return null;
  }
}

function launcherResult(start: ServiceStart): LauncherResult {
  return { ...originalEnding(start.returned?.status ?? null, false), readyAtExit: null, timedOut: start.timedOut };
}

/** The context of the service rules; the start rules are not judged, so the rest is what the report shows. */
function serviceContext(request: RunOnceRequest, launcher: Launcher, prepared: PreparedCaller, start: ServiceStart, service: { daemon: Snapshot | null; listener: NotifyListener }): RuleContext {
  const settled = service.listener.sample();
  return {
    expect: request.profile.expect,
    launcher: { ...launcherResult(start), pid: launcher.pid, sid: launcher.pid, maskTrapSet: prepared.maskReliable(launcher) },
    checkerPid: process.pid,
    daemon: service.daemon,
    noDaemonReason: "the command's own process had ended",
    survivedHangup: null,
    caller: prepared.caller,
    pidfileContent: null,
    pidfileAtExit: null,
    pidfileIsSymlink: null,
    logs: { stdout: null, stderr: null },
    logsAtExit: { stdout: null, stderr: null },
    identities: { devnull: null, stdout: null, stderr: null },
    trace: null,
    notify: { atExit: null, settled, unknownSender: service.listener.unknownSender, mainProcess: start.mainPid === null ? null : { pid: start.mainPid } },
    service: { mainPid: start.mainPid, returned: start.returned === null ? null : { status: start.returned.status }, readyArrived: start.readyArrived },
  };
}

/**
 * `--profile systemd`: a new-style service, checked as systemd runs a Type=notify unit. The
 * command starts from the same planted caller and terminal as any check, with a NOTIFY_SOCKET
 * owned by the checker; it must stay in the foreground (stays-in-foreground), send READY=1 from
 * its own process (notify-ready) and end on SIGTERM with everything it started (stops-on-sigterm).
 */
export async function runService(request: RunOnceRequest): Promise<RunOnceResult> {
  becomeSubreaper();
  const workDir = makeTempDir('daemonspec-check-');
  const work = workDir.path;
  const markerValue = randomBytes(8).toString('hex');
  let prepared: PreparedCaller | undefined;
  let listener: NotifyListener | null = null;
  let launcher: Launcher;
  let scope: CheckScope;
  try {
    prepared = prepareCaller(request, work);
    listener = new NotifyListener(work);
    const opened = { prepared, listener }; // as assigned: the closure below sees them so typed
    ({ launcher, scope } = launchInScope(markerValue, (scopeTag) =>
      startLauncher(request, opened.prepared, markerValue, { pidfileSnapshot: undefined, notify: null, listener: opened.listener, work, scopeTag }),
    ));
  } catch (error) {
    listener?.close();
    prepared?.dispose();
    workDir.remove();
    throw error;
  }
  let mainPid: number | null = null;
  try {
    const start = await awaitService(launcher, listener, scope, Date.now() + request.timeoutMs);
    mainPid = start.mainPid;
    const daemon = start.returned === null ? snapshotOf(mainPid) : null;
    // As systemd stops a unit (KillMode=control-group): SIGTERM to the main process, then it and everything it started must end.
    const stop = daemon === null ? null : await stopDaemon({ stopCommand: undefined, stopTimeoutMs: DEFAULT_STOP_TIMEOUT_MS, env: request.env, cwd: '/', pidfile: null }, scope, daemon.pid);
    const context = serviceContext(request, launcher, prepared, start, { daemon, listener });
    const lifecycle = { pidfileAtExit: undefined, secondStart: null, stop: stop?.observation ?? null, stale: null, notRun: "the command's own process had ended" };
    const results = judge(request.profile, { ...context, lifecycle }, SERVICE_RULES);
    await launcher.hangup(Date.now() + HANGUP_GRACE_MS);
    const rest = await stopEverything(scope, mainPid === null ? [] : [mainPid]);
    const cleanup: CleanupResult = {
      stopped: [...new Set([...(stop?.cleanup.stopped ?? []), ...rest.stopped])].sort((a, b) => a - b),
      leftRunning: [...new Set([...(stop?.cleanup.leftRunning ?? []), ...rest.leftRunning])].sort((a, b) => a - b),
    };
    const terminalOutput = launcher.output();
    const notes = start.timedOut ? [`no READY=1 within ${request.timeoutMs} ms`] : [];
    const noDaemon = daemon === null ? describeNoDaemon(context.launcher, context.noDaemonReason, terminalOutput) : null;
    return { launcher: launcherResult(start), daemon, chain: { checker: null, launcher: null }, candidates: [], results, cleanup, terminalOutput, notes, caller: prepared.caller, noDaemon };
  } catch (error) {
    await stopEverything(scope, mainPid === null ? [] : [mainPid]).catch(() => undefined);
    throw error;
  } finally {
    await launcher.dispose().catch(() => undefined);
    listener.close();
    prepared.dispose();
    workDir.remove();
  }
}
