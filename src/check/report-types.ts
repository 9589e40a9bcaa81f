import type { Snapshot } from '../inspect/snapshot.js';

/**
 * The check report (`daemonspec check --json`, schema version 1) and the options that
 * produce it. These types are the contract between the checker (src/check/), the
 * renderers (src/report/) and the vitest matchers (src/vitest/).
 */

/** Rule ids are part of the public interface: never rename one. */
export const RULE_IDS = [
  'launcher-exit',
  'ready-before-exit',
  'reparented',
  'new-session',
  'not-session-leader',
  'no-controlling-tty',
  'umask',
  'cwd',
  'stdin-devnull',
  'stdout-target',
  'stderr-target',
  'no-leaked-fds',
  'signal-mask-empty',
  'signal-dispositions-default',
  'pidfile',
  'survives-hangup',
  'log-contents',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/**
 * - `pass` / `fail`: the rule was judged.
 * - `skip`: the rule's expectation was not given (or cannot be observed here); never counts as a pass.
 * - `racy`: with `--repeat N`, the rule's status differed between runs.
 */
export type RuleStatus = 'pass' | 'fail' | 'skip' | 'racy';

export interface RuleResult {
  rule: RuleId;
  /** One line saying what the rule demands ("Not a session leader"). */
  title: string;
  status: RuleStatus;
  /** The expected value (JSON-serialisable; null when the rule was skipped). */
  expected: unknown;
  /** The observed value (JSON-serialisable; null when not observed). */
  actual: unknown;
  /** Why it passed, failed or was skipped, with the evidence. */
  message: string;
  /** What to change in the daemon so the rule passes (empty when it passed). */
  fix: string;
  /** Rationale and where it comes from (POSIX XBD 11.1.3, daemon(7), an upstream issue...). */
  reference: string;
  /** With --repeat: the status of each run, in order. */
  runs?: RuleStatus[];
}

export interface LauncherResult {
  /** Exit status of the command's original process; null when it was killed or never exited. */
  exitCode: number | null;
  /** Signal name (SIGKILL...) when the original process died of a signal, else null. */
  signal: string | null;
  /**
   * Whether the daemon was ready at the moment the original process exited (pidfile naming a
   * live process, or the ready-log line present); null when no readiness probe was given
   * or the original process never exited.
   */
  readyAtExit: boolean | null;
  /** True when the original process did not exit within the timeout and was killed. */
  timedOut: boolean;
}

export interface CleanupResult {
  /** Every process the checker stopped (the daemon, other adopted orphans, marked processes). */
  stopped: number[];
  /** Processes the checker started or adopted that were still running at the end: should be empty. */
  leftRunning: number[];
}

export type Isolation = 'host' | 'namespace' | 'docker';

export interface CheckReport {
  schemaVersion: 1;
  verdict: 'pass' | 'fail';
  command: string[];
  /** Profile name (sysv, seed, daemon3) or the path of a user's profile file. */
  profile: string;
  isolation: Isolation;
  launcher: LauncherResult;
  /** The judged daemon as seen after it settled; null when none was found. */
  daemon: Snapshot | null;
  /** Every process identified as a daemon of this command (more than one: it daemonized twice). */
  candidates: number[];
  results: RuleResult[];
  cleanup: CleanupResult;
  /** What the command wrote on the terminal (bounded; the tail is kept). */
  terminalOutput: string;
  /** Problems met while checking that are not rule verdicts (e.g. "two daemons found"). */
  notes: string[];
  /** Number of runs (1 unless --repeat). */
  runs: number;
  durationMs: number;
}

/**
 * What the daemon is expected to look like. An expectation left undefined skips the rule(s)
 * that need it: a skipped rule is reported as `skip`, never as `pass`.
 */
export interface Expectations {
  /** Expected umask (e.g. 0o022). */
  umask?: number;
  /** Expected working directory (absolute). */
  cwd?: string;
  /** Where fd 1 must point (a file path, compared by device+inode); '/dev/null' is allowed. */
  stdout?: string;
  /** Where fd 2 must point. */
  stderr?: string;
  /** The pidfile the daemon writes: used to find the daemon, and judged by the `pidfile` rule. */
  pidfile?: string;
  /** A regex whose match in the stdout/stderr logs means the daemon is ready. */
  readyLog?: string;
  /** A regex that must match the stdout/stderr logs (`log-contents`). */
  expectLog?: string;
  /** Signals the daemon may leave ignored (e.g. ['SIGPIPE', 'SIGXFSZ'] for a Node or Python daemon). */
  allowIgnored?: string[];
  /** Whether fd 0 must be /dev/null (default true; the seed profile turns it off). */
  stdinDevnull?: boolean;
}

/** A profile: a named bundle of expectations and the rules it judges. */
export interface ProfileDefinition {
  name: string;
  description?: string;
  /** Start from a built-in profile, then apply this one's fields. */
  extends?: 'sysv' | 'seed' | 'daemon3';
  /** Rules this profile does not judge (reported as `skip` with the reason). */
  disabledRules?: RuleId[];
  expectations?: Expectations;
}

export interface CheckOptions extends Expectations {
  /** 'sysv' (default), 'seed', 'daemon3', a path to a JSON profile file, or a profile object. */
  profile?: string | ProfileDefinition;
  /** Overall deadline per run, in milliseconds (default 10000). */
  timeoutMs?: number;
  /** Run the whole check N times; a rule whose status changes between runs is `racy`. */
  repeat?: number;
  /** Where the command runs (default 'host'). */
  isolation?: Isolation;
  /** Docker image for isolation 'docker'. */
  image?: string;
  /** Extra environment for the command (added to the checker's own environment). */
  env?: Record<string, string>;
}
