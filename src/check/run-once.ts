import { lstatSync, statSync } from 'node:fs';
import { inspect, isNoSuchProcess, isRunning, readPrivileges, tracerOf, type Privileges } from '../inspect/index.js';
import type { Snapshot } from '../inspect/snapshot.js';
import { type CheckScope, reapAdoptedZombies } from './adopted.js';
import { findDaemon, type FindResult } from './find-daemon.js';
import { traceFile } from './start-launcher.js';
import { readLogWindow, type LogWindow } from './log-window.js';
import { describeNoDaemon } from './no-daemon.js';
import { judge } from './judge.js';
import { runLifecycle } from './lifecycle/run.js';
import { awaitLauncher, type LauncherOutcome } from './launcher-outcome.js';
import type { Launcher } from './launcher.js';
import type { ChainProcess, CheckReport, CheckWindow, CleanupResult, ProcessChain, RuleResult } from './report-types.js';
import { whyHangupCannotReach } from './hangup-reach.js';
import { type FileId, LIFECYCLE_RULES, READINESS_RULES, type RuleContext, USER_RULES } from './rules/index.js';
import type { NotifyFd } from './readiness/notify-fd.js';
import type { NotifyListener, NotifyState } from './readiness/notify-socket.js';
import { stopEverything } from './stop.js';
import type { PlantedCaller } from './caller.js';
import { finishTrace } from '../trace/strace.js';
import type { RunOnceRequest } from './run-request.js';
import { openRun, type RunResources } from './run-resources.js';
import { pidfileText } from './lifecycle/read-pidfile.js';
import { removeRunPidfile } from './run-pidfile.js';

export type { RunOnceRequest } from './run-request.js';

const HANGUP_GRACE_MS = 3000;
/**
 * After the launcher is reaped, how long the daemon must stay alive to count as having survived
 * the hangup. The launcher's exit does not mean the SIGHUP it triggered has been acted on: the
 * kernel signals the foreground group and orphaned groups on its way out, and a daemon that
 * handles SIGHUP by exiting (or dies on EIO from the gone terminal) needs a moment to do so.
 * Sampling at once reported such a daemon as a survivor. This window is a grace period, not a
 * synchronisation: a daemon that dies later than this is not caught.
 */
const SURVIVAL_WINDOW_MS = 300;

/** One run's share of the report (checkOnHost adds the command, profile and run count). */
export type RunOnceResult = Pick<
  CheckReport,
  'launcher' | 'daemon' | 'chain' | 'candidates' | 'results' | 'cleanup' | 'terminalOutput' | 'notes' | 'caller' | 'noDaemon' | 'trace' | 'windows'
>;

/** How long the tracer may take to end once everything is stopped (it ends with the last traced process). */
const TRACE_GRACE_MS = 3000;

function fileId(path: string | undefined): FileId | null {
  if (path === undefined) return null;
  try {
    const s = statSync(path);
    return { device: s.dev, inode: s.ino };
  } catch {
    return null;
  }
}

function readText(path: string | undefined): string | null {
  return path === undefined ? null : pidfileText(path);
}

function isSymlink(path: string | undefined): boolean | null {
  if (path === undefined) return null;
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return null;
  }
}

/** Whether the process is still alive (same start time) at `until`; false as soon as it is not. */
async function staysAlive(scope: CheckScope, pid: number, startTime: number, until: number): Promise<boolean> {
  for (;;) {
    reapAdoptedZombies(scope);
    if (!isRunning(pid, startTime)) return false;
    if (Date.now() >= until) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Whether the daemon outlived the hang-up: at once when the hang-up cannot reach it
 * (`unreachable` says why), else after SURVIVAL_WINDOW_MS or its death. Says how the window ended.
 */
async function survivesHangup(scope: CheckScope, daemon: Snapshot, unreachable: string | null): Promise<{ survived: boolean; window: CheckWindow }> {
  const started = Date.now();
  const base = { window: 'survives-hangup' as const, fullMs: SURVIVAL_WINDOW_MS };
  if (unreachable !== null) {
    reapAdoptedZombies(scope);
    const survived = isRunning(daemon.pid, daemon.startTime);
    return { survived, window: { ...base, waitedMs: 0, endedBy: survived ? 'known' : 'death', ...(survived ? { why: unreachable } : {}) } };
  }
  const survived = await staysAlive(scope, daemon.pid, daemon.startTime, started + SURVIVAL_WINDOW_MS);
  return { survived, window: { ...base, waitedMs: Date.now() - started, endedBy: survived ? 'deadline' : 'death' } };
}

/** The ids of a live process for the report's chain, or null when it is gone or cannot be read. */
function chainProcess(pid: number): ChainProcess | null {
  try {
    const s = inspect(pid);
    const tty = s.tty === null ? null : (s.tty.name ?? `tty ${s.tty.device}`);
    return { pid: s.pid, ppid: s.ppid, pgid: s.pgid, sid: s.sid, tty, name: s.name ?? s.cmdline[0] ?? null };
  } catch {
    return null;
  }
}

/** The found daemon's snapshot, or why there is none (it may exit between being found and inspected). */
function inspectFound(pid: number | null, noDaemonReason: string): { daemon: Snapshot | null; noDaemonReason: string } {
  if (pid === null) return { daemon: null, noDaemonReason };
  try {
    return { daemon: inspect(pid), noDaemonReason };
  } catch (error) {
    if (!isNoSuchProcess(error)) throw error;
    return { daemon: null, noDaemonReason: `the daemon (pid ${pid}) exited while it was being inspected` };
  }
}

interface Observed {
  launcher: Launcher;
  outcome: LauncherOutcome;
  daemon: Snapshot | null;
  noDaemonReason: string;
  survivedHangup: boolean | null;
  caller: PlantedCaller;
  logs: { stdout: LogWindow; stderr: LogWindow };
  maskTrapSet: boolean;
}

/** Everything the rules judge, read after the hangup except the pidfile (read before it). */
function ruleContext(request: RunOnceRequest, observed: Observed, pidfile: { content: string | null; isSymlink: boolean | null }): RuleContext {
  const { expect } = request.profile;
  const { launcher, outcome, logs } = observed;
  const { exit, result } = outcome;
  return {
    expect,
    launcher: { ...result, pid: launcher.pid, sid: launcher.pid, maskTrapSet: observed.maskTrapSet },
    checkerPid: process.pid,
    daemon: observed.daemon,
    noDaemonReason: observed.noDaemonReason,
    survivedHangup: observed.survivedHangup,
    caller: observed.caller,
    pidfileContent: pidfile.content,
    pidfileAtExit: expect.pidfile !== undefined && !result.timedOut && exit ? { pid: exit.pidfilePid, alive: exit.pidfileAlive } : null,
    pidfileIsSymlink: pidfile.isSymlink,
    logs: { stdout: readLogWindow(logs.stdout), stderr: readLogWindow(logs.stderr) },
    logsAtExit: {
      stdout: exit ? readLogWindow(logs.stdout, exit.stdoutSize) : null,
      stderr: exit ? readLogWindow(logs.stderr, exit.stderrSize) : null,
    },
    identities: { devnull: fileId('/dev/null'), stdout: fileId(expect.stdout), stderr: fileId(expect.stderr) },
    trace: null,
  };
}

/** With `--user`: the daemon's privileges, read with its snapshot (null: no daemon, or it exited meanwhile). */
function privilegesOf(request: RunOnceRequest, daemon: Snapshot | null): Privileges | null {
  if (request.user === null || daemon === null) return null;
  try {
    return readPrivileges(daemon.pid);
  } catch (error) {
    if (!isNoSuchProcess(error)) throw error;
    return null;
  }
}

/** The readiness channels of a run and what they held as the command returned (null: it never returned). */
interface Readiness {
  pipe: NotifyFd | null;
  pipeAtExit: ReturnType<NotifyFd['sample']> | null;
  listener: NotifyListener | null;
  listenerAtExit: NotifyState | null;
}

/** With `--notify-fd` and `--notify`: the readiness rules asked for, on each channel as the command returned and as it is now. */
function readinessResults(request: RunOnceRequest, context: RuleContext, readiness: Readiness): RuleResult[] {
  const { pipe, listener } = readiness;
  const notifyFd = pipe && request.notifyFd !== null ? { fd: request.notifyFd, atExit: readiness.pipeAtExit, settled: pipe.sample() } : undefined;
  const notify = listener ? { atExit: readiness.listenerAtExit, settled: listener.sample(), unknownSender: listener.unknownSender, mainProcess: null } : undefined;
  const asked = READINESS_RULES.filter((rule) => (rule.id === 'notify-fd-ready' ? notifyFd : notify) !== undefined);
  if (asked.length === 0) return [];
  return judge(request.profile, { ...context, notifyFd, notify }, asked);
}

/** With `--user`: the credential rules, judged on the daemon as it was found. */
function userResults(request: RunOnceRequest, context: RuleContext, privileges: Privileges | null): RuleResult[] {
  if (request.user === null) return [];
  return judge(request.profile, { ...context, user: request.user.expected, privileges }, USER_RULES);
}

/**
 * With `--lifecycle`: the daemon's later life (second start, stop, stale pidfile), judged by the
 * life-cycle rules; the pidfile copied the instant the command returned is read from `snapshot`.
 */
async function lifecycleResults(
  request: RunOnceRequest,
  context: RuleContext,
  first: { scope: CheckScope; caller: PlantedCaller; outcome: LauncherOutcome; snapshot: string },
): Promise<{ results: RuleResult[]; cleanup: CleanupResult }> {
  const { expect } = request.profile;
  if (request.lifecycle === null || expect.pidfile === undefined) return { results: [], cleanup: { stopped: [], leftRunning: [] } };
  const { daemon } = context;
  const run = await runLifecycle(
    { command: request.command, env: request.env, cwd: first.caller.cwd, umask: first.caller.umask, pidfile: expect.pidfile, timeoutMs: request.timeoutMs, ...request.lifecycle },
    {
      scope: first.scope,
      daemon: daemon === null ? null : { pid: daemon.pid, startTime: daemon.startTime },
      pidfileAtExit: first.outcome.exit === null || first.outcome.result.timedOut ? undefined : readText(first.snapshot),
    },
  );
  return { results: judge(request.profile, { ...context, lifecycle: run.observations }, LIFECYCLE_RULES), cleanup: run.cleanup };
}

/** What a failed run must still stop: the processes found so far, and the tracer once known. */
interface InFlight {
  candidates: number[];
  tracer: number | null;
}

/** What a run saw from the launch to the end of the hangup, before anything is judged or stopped. */
interface Observation {
  outcome: LauncherOutcome;
  readiness: Readiness;
  found: FindResult;
  daemon: Snapshot | null;
  noDaemonReason: string;
  privileges: Privileges | null;
  pidfile: { content: string | null; isSymlink: boolean | null };
  chain: ProcessChain;
  survival: { survived: boolean; window: CheckWindow } | null;
}

/** Waits for the original's exit, finds and inspects the daemon, then hangs up the terminal and sees whether the daemon survives. */
async function observe(request: RunOnceRequest, run: RunResources, scope: CheckScope, inFlight: InFlight): Promise<Observation> {
  const { expect } = request.profile;
  const { launcher, logs, notify, listener } = run;
  const started = Date.now();
  const outcome = await awaitLauncher(launcher, request, logs);
  const returned = outcome.exit !== null && !outcome.result.timedOut;
  const readiness: Readiness = { pipe: notify, pipeAtExit: notify && returned ? notify.sample() : null, listener, listenerAtExit: listener && returned ? listener.sample() : null };
  const found = await findDaemon({
    scope,
    pidfile: expect.pidfile,
    readyLog: expect.readyLog,
    logs: [logs.stdout, logs.stderr],
    deadline: outcome.result.timedOut ? Date.now() + 1000 : started + request.timeoutMs,
  });
  inFlight.candidates = found.candidates;
  const { daemon, noDaemonReason } = inspectFound(found.daemon, found.noDaemonReason);
  const privileges = privilegesOf(request, daemon);
  const pidfile = { content: readText(expect.pidfile), isSymlink: isSymlink(expect.pidfile) };
  // The launcher lives until the hangup: its tracer is the one to wait for at the end.
  if (request.strace !== undefined) inFlight.tracer = tracerOf(launcher.pid);
  const chain: ProcessChain = { checker: chainProcess(process.pid), launcher: chainProcess(launcher.pid) };

  const unreachable = daemon ? whyHangupCannotReach(scope, daemon, launcher.pid) : null;
  await launcher.hangup(Date.now() + HANGUP_GRACE_MS);
  const survival = daemon ? await survivesHangup(scope, daemon, unreachable) : null;
  return { outcome, readiness, found, daemon, noDaemonReason, privileges, pidfile, chain, survival };
}

/** The union of two cleanups, each list sorted and without repeats. */
function mergeCleanups(a: CleanupResult, b: CleanupResult): CleanupResult {
  return {
    stopped: [...new Set([...a.stopped, ...b.stopped])].sort((x, y) => x - y),
    leftRunning: [...new Set([...a.leftRunning, ...b.leftRunning])].sort((x, y) => x - y),
  };
}

/** Judges what was observed (the life-cycle rules run the daemon further), stops everything, and assembles the run's result. */
async function judgeAndStop(request: RunOnceRequest, run: RunResources, scope: CheckScope, seen: Observation, tracer: number | null): Promise<RunOnceResult> {
  const { expect } = request.profile;
  const { launcher, prepared, logs, snapshot } = run;
  const { caller, note: cwdNote } = prepared;
  const { outcome, found, daemon, noDaemonReason, survival } = seen;
  const survivedHangup = survival?.survived ?? null;
  const context = ruleContext(request, { launcher, outcome, daemon, noDaemonReason, survivedHangup, caller, logs, maskTrapSet: prepared.maskReliable(launcher) }, seen.pidfile);
  const user = [...userResults(request, context, seen.privileges), ...readinessResults(request, context, seen.readiness)];
  const later = await lifecycleResults(request, context, { scope, caller, outcome, snapshot });
  const stopped = await stopEverything(scope, [...(daemon ? [daemon.pid] : []), ...found.candidates]);
  const cleanup = mergeCleanups(later.cleanup, stopped);
  // The trace is complete once the tracer has ended (after the stop): the rules may then cite it.
  const trace = request.strace === undefined ? null : await finishTrace(tracer, traceFile(run.work), Date.now() + TRACE_GRACE_MS);
  const results = [...judge(request.profile, { ...context, trace }), ...later.results, ...user];
  const notes = [...(cwdNote === null ? [] : [cwdNote]), ...outcome.notes, ...found.notes, ...removeRunPidfile(expect.pidfile)];
  if (request.strace !== undefined && tracer === null) notes.push('--trace: strace had not attached to the launcher; the trace may be empty');
  const terminalOutput = launcher.output();
  const noDaemon = daemon === null ? describeNoDaemon(outcome.result, noDaemonReason, terminalOutput) : null;
  const windows = survival ? [survival.window] : [];
  const { chain } = seen;
  return { launcher: outcome.result, daemon, chain, candidates: found.candidates, results, cleanup, terminalOutput, notes, caller, noDaemon, windows, ...(trace ? { trace } : {}) };
}

/** After a failure: stops what was found, removes the pidfile and lets the tracer end; never throws. */
async function abandon(request: RunOnceRequest, run: RunResources, scope: CheckScope, inFlight: InFlight): Promise<void> {
  await stopEverything(scope, inFlight.candidates).catch(() => undefined);
  removeRunPidfile(request.profile.expect.pidfile);
  if (inFlight.tracer !== null) await finishTrace(inFlight.tracer, traceFile(run.work), Date.now()).catch(() => undefined);
}

/** One complete check: launch, wait for the original's exit, find and inspect the daemon, hang up, judge, stop. */
export async function runOnce(request: RunOnceRequest): Promise<RunOnceResult> {
  const run = openRun(request);
  const { scope } = run;
  const inFlight: InFlight = { candidates: [], tracer: null };
  try {
    const seen = await observe(request, run, scope, inFlight);
    return await judgeAndStop(request, run, scope, seen, inFlight.tracer);
  } catch (error) {
    await abandon(request, run, scope, inFlight);
    throw error;
  } finally {
    await run.dispose();
  }
}
