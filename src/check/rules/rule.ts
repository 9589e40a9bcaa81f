import type { Snapshot } from '../../inspect/snapshot.js';
import type { Expectations, LauncherResult, RuleId, RuleStatus } from '../report-types.js';
import type { TrapObject } from '../traps.js';

/** Expectations after the profile and the options are merged (see profiles.ts). */
export interface ResolvedExpectations extends Omit<Expectations, 'allowIgnored'> {
  allowIgnored: string[];
  stdinDevnull: boolean;
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
  traps: TrapObject[];
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
}

export interface Rule {
  id: RuleId;
  title: string;
  /** Rationale and source. */
  reference: string;
  /** What to change when the rule fails. */
  fix: string;
  judge(context: RuleContext): Judgement;
}

export const skip = (message: string): Judgement => ({ status: 'skip', expected: null, actual: null, message });

export function verdict(ok: boolean, expected: unknown, actual: unknown, pass: string, fail: string): Judgement {
  return ok ? { status: 'pass', expected, actual, message: pass } : { status: 'fail', expected, actual, message: fail };
}

/** The common failure of every rule that looks at the daemon when there is none. */
export function noDaemon(context: RuleContext, expected: unknown): Judgement {
  return { status: 'fail', expected, actual: null, message: context.noDaemonReason };
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
