import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DaemonspecError } from '../errors.js';
import { signalName } from '../ffi/constants.js';
import { inspect, isNoSuchProcess, isRunning, processStartTime } from '../inspect/index.js';
import type { Snapshot } from '../inspect/snapshot.js';
import { type CheckScope, ownChildren, reapAdoptedZombies } from './adopted.js';
import { findDaemon, readPidfile } from './find-daemon.js';
import { Launcher } from './launcher.js';
import { logWindow, readLogWindow } from './log-window.js';
import type { ResolvedProfile } from './profiles.js';
import type { CheckReport, CleanupResult, LauncherResult, RuleResult } from './report-types.js';
import { logRegex } from './rules/rule.js';
import { RULES, type FileId, type RuleContext } from './rules/index.js';
import { stopEverything } from './stop.js';
import { becomeSubreaper } from './subreaper.js';
import { createTraps, MARKER_NAME } from './traps.js';

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

export interface RunOnceRequest {
  command: string[];
  profile: ResolvedProfile;
  timeoutMs: number;
  env: Record<string, string>;
}

/** One run's share of the report (checkDaemon adds the command, profile and run count). */
export type RunOnceResult = Pick<CheckReport, 'launcher' | 'daemon' | 'candidates' | 'results' | 'cleanup' | 'terminalOutput' | 'notes'>;

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
  if (path === undefined) return null;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function isSymlink(path: string | undefined): boolean | null {
  if (path === undefined) return null;
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return null;
  }
}

/**
 * A pidfile that exists before the launch would count as readiness evidence and name a process
 * of an earlier run (or any process): refuse, rather than guess which content is new.
 */
function refuseStalePidfile(path: string | undefined): void {
  if (path === undefined) return;
  let exists = true;
  try {
    lstatSync(path);
  } catch {
    exists = false;
  }
  if (exists) {
    throw new DaemonspecError('EUSAGE', `the pidfile ${path} exists before the check: remove the stale pidfile ${path} first`, { path });
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

/** One complete check: launch, wait for the original's exit, find and inspect the daemon, hang up, judge, stop. */
export async function runOnce(request: RunOnceRequest): Promise<RunOnceResult> {
  const { expect } = request.profile;
  refuseStalePidfile(expect.pidfile);
  becomeSubreaper();
  const stdoutLog = logWindow(expect.stdout);
  const stderrLog = logWindow(expect.stderr);
  const work = mkdtempSync(join(tmpdir(), 'daemonspec-check-'));
  const markerValue = randomBytes(8).toString('hex');
  const traps = createTraps(work);
  const notes: string[] = [];
  const children = ownChildren(process.pid);
  let launcher: Launcher;
  try {
    launcher = new Launcher({
      command: request.command,
      env: { ...request.env, [MARKER_NAME]: markerValue },
      cwd: work,
      traps,
      pidfile: expect.pidfile,
      stdout: expect.stdout,
      stderr: expect.stderr,
    });
  } catch (error) {
    traps.release();
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  traps.release();
  const scope: CheckScope = {
    checkerPid: process.pid,
    launcherPid: launcher.pid,
    launcherStart: processStartTime(launcher.pid) ?? 0,
    markerValue,
    knownSessions: new Set([launcher.pid]),
    ownChildren: children,
  };
  let daemon: Snapshot | null = null;
  let candidates: number[] = [];
  let cleanup: CleanupResult = { stopped: [], leftRunning: [] };
  try {
    const started = Date.now();
    let exit = await launcher.waitOriginalExit(started + request.timeoutMs);
    let timedOut = false;
    if (exit === null) {
      timedOut = true;
      const group = launcher.killForegroundCommand();
      notes.push(`the command did not return within ${request.timeoutMs} ms; killed its process group ${group ?? '?'}`);
      exit = await launcher.waitOriginalExit(Date.now() + 2000);
    }
    const status = exit?.status ?? null;
    const killedBy = status !== null && status > 128 ? status - 128 : null;
    const launcherResult: LauncherResult = {
      exitCode: timedOut || status === null || killedBy !== null ? null : status,
      signal: killedBy !== null ? signalName(killedBy) : null,
      readyAtExit: null,
      timedOut,
    };
    if (!timedOut && exit) {
      if (expect.readyLog !== undefined) {
        const text = `${readLogWindow(stdoutLog, exit.stdoutSize) ?? ''}\n${readLogWindow(stderrLog, exit.stderrSize) ?? ''}`;
        launcherResult.readyAtExit = logRegex(expect.readyLog).test(text);
      } else if (expect.pidfile !== undefined) {
        launcherResult.readyAtExit = exit.pidfilePid !== null && exit.pidfileAlive;
      }
    }
    if (exit === null) notes.push('the launcher never reported the exit of the command');
    if (launcherResult.exitCode !== null && launcherResult.exitCode !== 0) {
      const relative = request.command.slice(1).filter((arg) => /^\.{0,2}[\w-]*\//.test(arg) && !arg.startsWith('/') && existsSync(arg));
      if (relative.length > 0) {
        notes.push(`the command runs in a temporary directory, where relative paths such as ${relative[0]} do not resolve: give absolute paths`);
      }
    }

    const found = await findDaemon({
      scope,
      pidfile: expect.pidfile,
      readyLog: expect.readyLog,
      logs: [stdoutLog, stderrLog],
      deadline: timedOut ? Date.now() + 1000 : started + request.timeoutMs,
    });
    notes.push(...found.notes);
    candidates = found.candidates;
    let noDaemonReason = found.noDaemonReason;
    if (found.daemon !== null) {
      try {
        daemon = inspect(found.daemon);
      } catch (error) {
        if (!isNoSuchProcess(error)) throw error;
        noDaemonReason = `the daemon (pid ${found.daemon}) exited while it was being inspected`;
      }
    }
    const pidfileContent = readText(expect.pidfile);
    const pidfileIsSymlink = isSymlink(expect.pidfile);

    await launcher.hangup(Date.now() + HANGUP_GRACE_MS);
    let survivedHangup: boolean | null = null;
    if (daemon) survivedHangup = await staysAlive(scope, daemon.pid, daemon.startTime, Date.now() + SURVIVAL_WINDOW_MS);

    const context: RuleContext = {
      expect,
      launcher: { ...launcherResult, pid: launcher.pid, sid: launcher.pid, maskTrapSet: launcher.shellKeepsMask },
      checkerPid: process.pid,
      daemon,
      noDaemonReason,
      survivedHangup,
      traps: traps.objects,
      pidfileContent,
      pidfileAtExit: expect.pidfile !== undefined && !timedOut && exit ? { pid: exit.pidfilePid, alive: exit.pidfileAlive } : null,
      pidfileIsSymlink,
      logs: { stdout: readLogWindow(stdoutLog), stderr: readLogWindow(stderrLog) },
      logsAtExit: {
        stdout: exit ? readLogWindow(stdoutLog, exit.stdoutSize) : null,
        stderr: exit ? readLogWindow(stderrLog, exit.stderrSize) : null,
      },
      identities: { devnull: fileId('/dev/null'), stdout: fileId(expect.stdout), stderr: fileId(expect.stderr) },
    };
    const results = RULES.map((rule): RuleResult => {
      const base = { rule: rule.id, title: rule.title, reference: rule.reference };
      if (request.profile.disabledRules.has(rule.id)) {
        return { ...base, status: 'skip', expected: null, actual: null, message: `not judged by the ${request.profile.name} profile`, fix: '' };
      }
      const judgement = rule.judge(context);
      return { ...base, ...judgement, fix: judgement.status === 'fail' ? rule.fix : '' };
    });
    cleanup = await stopEverything(scope, [...(daemon ? [daemon.pid] : []), ...candidates]);
    // The pidfile did not exist before the check (refused above): what is left is this run's.
    // Removed so the next run (--repeat) starts clean, unless it names a live process (one the
    // check did not start, or could not stop): that is not ours to delete.
    if (expect.pidfile !== undefined) {
      const left = readPidfile(expect.pidfile).pid;
      if (left === null || !isRunning(left)) rmSync(expect.pidfile, { force: true });
    }
    return { launcher: launcherResult, daemon, candidates, results, cleanup, terminalOutput: launcher.output(), notes };
  } catch (error) {
    await stopEverything(scope, candidates).catch(() => undefined);
    throw error;
  } finally {
    await launcher.dispose().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}
