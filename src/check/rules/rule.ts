import type { Snapshot } from '../../inspect/snapshot.js';
import type { Expectations, Finding, LauncherResult, RuleId, RuleStatus } from '../report-types.js';
import type { PlantedCaller } from '../caller.js';
import type { LifecycleObservations } from '../lifecycle/observations.js';
import type { Privileges } from '../../inspect/privileges.js';
import type { ExpectedUser } from '../user/expected-user.js';
import type { Trace } from '../../trace/types.js';
import type { NotifyFdState } from '../readiness/notify-fd.js';
import type { NotifyState } from '../readiness/notify-socket.js';

/** Expectations after the profile and the options are merged (see profiles.ts). */
export interface ResolvedExpectations extends Omit<Expectations, 'allowIgnored'> {
  allowIgnored: string[];
  stdinDevnull: boolean;
  /** Fail on chosen state too, not only on inherited state. */
  strict: boolean;
  /** The umask / cwd expectations the user gave (an option, or a profile file of theirs): judged exactly. */
  exact: ('umask' | 'cwd')[];
}

/** Everything a rule may look at; gathered once per run by the runner. */
export interface RuleContext {
  expect: ResolvedExpectations;
  launcher: LauncherResult & {
    pid: number;
    /** The launcher is a session leader: its pid is the session the command started in. */
    sid: number;
    /** False when the launcher shell could not keep the blocked-signal trap (no bash). */
    maskTrapSet: boolean;
  };
  /** The pid of the checking process (the subreaper that adopts orphans). */
  checkerPid: number;
  /** The judged daemon after it settled; null when none (or no single one) was found. */
  daemon: Snapshot | null;
  /** Why `daemon` is null ("no daemon found", "two daemons found: ..."). */
  noDaemonReason: string;
  /** After the hangup: still alive with the same start time? Null when there was no daemon. */
  survivedHangup: boolean | null;
  /** What the checker planted in the caller: the rules tell inherited state from chosen with it. */
  caller: PlantedCaller;
  /** The pidfile's content read after settling (null: absent). */
  pidfileContent: string | null;
  /**
   * The pidfile when the original process exited: the pid it named (null: absent or not a pid)
   * and whether that pid was alive. Null when the original never exited (timeout) or no pidfile.
   */
  pidfileAtExit: { pid: number | null; alive: boolean } | null;
  /** Whether the pidfile is a symbolic link (lstat after settling); null: absent or not given. */
  pidfileIsSymlink: boolean | null;
  /** Log contents read before the daemon was stopped (null: no such file / not given). */
  logs: { stdout: string | null; stderr: string | null };
  /** Log contents as they were when the original process exited (a prefix of `logs`). */
  logsAtExit: { stdout: string | null; stderr: string | null };
  /** Identity of /dev/null and of the expected stdout/stderr files (null: missing). */
  identities: { devnull: FileId | null; stdout: FileId | null; stderr: FileId | null };
  /** What the life-cycle steps saw (`check --lifecycle`); absent when they were not run. */
  lifecycle?: LifecycleObservations | undefined;
  /** The user the daemon must run as (`check --user`); absent when not asked. */
  user?: ExpectedUser | undefined;
  /** The daemon's capabilities, NoNewPrivs and core-dump settings (read with --user); null: no daemon. */
  privileges?: Privileges | null | undefined;
  /** The system-call trace of the run (`--trace`), or null when none was taken. */
  trace: Trace | null;
  /** With `--notify-fd N`: the pipe as the command returned (null: it never returned) and once the daemon settled. */
  notifyFd?: { fd: number; atExit: NotifyFdState | null; settled: NotifyFdState } | undefined;
  /**
   * With `--notify`: the NOTIFY_SOCKET's messages as the command returned (null: it never
   * returned) and once the daemon settled; why a sender cannot be known here (null: it can);
   * the service's own process when the command must not daemonize (systemd profile), else null.
   */
  notify?: { atExit: NotifyState | null; settled: NotifyState; unknownSender: string | null; mainProcess: { pid: number } | null } | undefined;
  /**
   * With `--profile systemd`: the command's own process (null: never seen), how it ended if it
   * returned before READY=1 or the deadline (null: it ran on), and whether READY=1 arrived.
   */
  service?: { mainPid: number | null; returned: { status: number } | null; readyArrived: boolean } | undefined;
}

export interface FileId {
  device: number;
  inode: number;
}

export interface Judgement {
  status: Exclude<RuleStatus, 'racy'>;
  expected: unknown;
  actual: unknown;
  message: string;
  /** The state found, inherited or chosen (the rules that attribute it). */
  findings?: Finding[];
}

export interface Rule {
  id: RuleId;
  title: string;
  /** Rationale and source. */
  reference: string;
  /** What to change when the rule fails. */
  fix: string;
  judge(context: RuleContext): Judgement;
  /**
   * What the trace says about a failure, one clause appended to the message ("trace: no umask()
   * in pids 4711 → 4713 before the exec of /usr/bin/sleep"). Called only when the rule failed
   * and both a trace and a daemon are there.
   */
  cite?(context: RuleContext & { trace: Trace; daemon: Snapshot }, judgement: Judgement): string | null;
}

export const skip = (message: string): Judgement => ({ status: 'skip', expected: null, actual: null, message });

export function verdict(ok: boolean, expected: unknown, actual: unknown, pass: string, fail: string): Judgement {
  return ok ? { status: 'pass', expected, actual, message: pass } : { status: 'fail', expected, actual, message: fail };
}

/**
 * Every rule that looks at the daemon, when there is none: not judged, with the reason. The
 * report leads with that reason and fails as a whole (CheckReport.noDaemon), once.
 */
export function noDaemon(context: RuleContext): Judgement {
  return skip(`not judged: ${context.noDaemonReason}`);
}

/** Whether a judgement was skipped because there was no daemon (see {@link noDaemon}). */
export function isNotJudged(message: string): boolean {
  return message.startsWith('not judged: ');
}

export function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** Multiline regex from a user's pattern (`^`/`$` match at line boundaries in a log). */
export function logRegex(pattern: string): RegExp {
  return new RegExp(pattern, 'm');
}

export function sameFile(a: FileId | null, b: { device: number | null; inode: number | null }): boolean {
  return a !== null && b.device !== null && b.inode !== null && a.device === b.device && a.inode === b.inode;
}
