import type { Snapshot } from '../inspect/snapshot.js';
import type { PlantedCaller } from './caller.js';
import type { CallerSpec } from './caller-spec.js';
import type { Trace } from '../trace/types.js';

export type { Trace, TraceEvent, TraceProcess } from '../trace/types.js';

/**
 * The check report (`daemonspec check --json`, schema version 2) and the options that
 * produce it. These types are the contract between the checker (src/check/), the
 * renderers (src/report/) and the vitest matchers (src/vitest/).
 */

/**
 * The rules of one start: judged by every check, and the columns of the conformance matrix.
 * Rule ids are part of the public interface: never rename one.
 */
export const START_RULE_IDS = [
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

/** The rules of the daemon's later life (`check --lifecycle`): judged only when asked for. */
export const LIFECYCLE_RULE_IDS = [
  'second-start-refused',
  'stops-on-sigterm',
  'pidfile-removed',
  'stale-pidfile-recovered',
  'pidfile-complete',
] as const;

/** The rules of a privilege drop (`check --user NAME`): judged only when asked for. */
export const USER_RULE_IDS = ['credentials', 'no-capabilities'] as const;

/** The readiness protocols judged from outside (`check --notify-fd N`, `--notify`): judged only when asked for. */
export const READINESS_RULE_IDS = ['notify-fd-ready', 'notify-ready'] as const;

/** The rule of a new-style service (`--profile systemd`), which must not daemonize at all. */
export const SERVICE_RULE_IDS = ['stays-in-foreground'] as const;

/** Every rule id, in report order. */
export const RULE_IDS = [...START_RULE_IDS, ...LIFECYCLE_RULE_IDS, ...USER_RULE_IDS, ...READINESS_RULE_IDS, ...SERVICE_RULE_IDS] as const;

export type RuleId = (typeof RULE_IDS)[number];

/**
 * - `pass` / `fail`: the rule was judged.
 * - `skip`: the rule's expectation was not given (or cannot be observed here); never counts as a pass.
 * - `racy`: with `--repeat N`, the rule's status differed between runs.
 */
export type RuleStatus = 'pass' | 'fail' | 'skip' | 'racy';

/**
 * Where a piece of the daemon's state comes from:
 * - `inherited`: the state the checker planted in the caller is still there (a trap signal still
 *   blocked or ignored, a trap fd still open, the trap umask, the trap working directory): the
 *   daemonizer passed it on. This is what the rules fail on.
 * - `chosen`: the program set it itself (nginx's umask(0), a server ignoring SIGPIPE, a daemon
 *   blocking SIGTERM for its signalfd): a note, a failure only with `strict` or an exact
 *   umask/cwd expectation given by the user.
 */
export type Attribution = 'inherited' | 'chosen';

/** One piece of state a rule found, and where it comes from. */
export interface Finding {
  /** What was observed ("SIGPIPE ignored", "umask 0000", "fd 57 → pipe:[1234]", "cwd /srv"). */
  what: string;
  attribution: Attribution;
}

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
  /**
   * The state found by the rules that attribute it (signal-mask-empty, signal-dispositions-default,
   * no-leaked-fds, umask, cwd), each inherited or chosen; absent for the other rules and when
   * the rule was not judged.
   */
  findings?: Finding[];
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
  /**
   * Set when the launching shell (the command's parent, leader of the terminal's session) ended
   * before the command returned, so the command's own exit was never seen: how it ended
   * ("was killed by SIGKILL", "was killed by SIGHUP"). The command took it down: it killed its
   * parent's process group, or hung up its terminal (vhangup()). Absent otherwise.
   */
  shellEnded?: string;
}

export interface CleanupResult {
  /** Every process the checker stopped (the daemon, other adopted orphans, marked processes). */
  stopped: number[];
  /** Processes the checker started or adopted that were still running at the end: should be empty. */
  leftRunning: number[];
}

/**
 * Where a check runs (src/isolation/ runs it there). `docker-init` is the docker backend with
 * `--init` (docker-init/tini as PID 1 and the checker as its child); plain `docker` makes the
 * checker itself PID 1.
 */
export type IsolationName = 'host' | 'namespace' | 'docker' | 'docker-init';

export const ISOLATION_NAMES: readonly IsolationName[] = ['host', 'namespace', 'docker', 'docker-init'];

/** Why no daemon was judged: the one finding of a check that found none. */
export interface NoDaemon {
  /** One line: how the command ended and what was (not) left running. */
  reason: string;
  /** The last lines the command wrote on the terminal (at most 5). */
  lastLines: string[];
}

/** A process of the chain from the checker to the daemon, as seen while the daemon was being judged. */
export interface ChainProcess {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** The controlling terminal's name (/dev/pts/3), `tty <device>` when no node matched, or null: none. */
  tty: string | null;
  /** Short command name (comm), or null where unknown. */
  name: string | null;
}

/**
 * The processes around the daemon, for drawing the chain (the HTML report): the checker, the
 * launcher (the login shell on the fresh pty: a session leader whose session the command
 * starts in), and the command's original process (its pid is not recorded: it has exited by the
 * time the daemon is judged; its exit is `launcher`). The processes between the original and the
 * daemon (the forks of a double fork) are gone and not recorded either.
 */
export interface ProcessChain {
  checker: ChainProcess | null;
  launcher: ChainProcess | null;
}

export interface CheckReport {
  schemaVersion: 2;
  /** `fail` when a rule failed or was racy, or when no daemon was found. */
  verdict: 'pass' | 'fail';
  command: string[];
  /** Profile name (sysv, seed, daemon3, systemd) or the path of a user's profile file. */
  profile: string;
  isolation: IsolationName;
  /** The seed the planted traps were drawn from: `check --seed` replays the run. */
  seed: string;
  /** Whether the strict reading was used (chosen state fails too). */
  strict: boolean;
  /** What the checker planted in the caller (the traps of this run). */
  caller: PlantedCaller;
  /** Set when no daemon was found: the rules that need one are then not judged (`skip`). */
  noDaemon: NoDaemon | null;
  launcher: LauncherResult;
  /** The judged daemon as seen after it settled; null when none was found. */
  daemon: Snapshot | null;
  /** The checker and the launcher as seen when the daemon was found (absent in reports of older versions). */
  chain?: ProcessChain;
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
  /**
   * With `--trace` (Linux, strace): the system calls that make a daemon, for every process from
   * the launcher down, with times relative to the launcher's exec (of the last run with --repeat).
   * Absent without --trace. Added in schema version 2 as an optional field.
   */
  trace?: Trace;
  /**
   * The waits of the check that are windows rather than events, and how each one ended (of the
   * last run with --repeat): waited to its end, ended by the answer (the daemon died), or cut
   * short because its answer was known at once, with why. Added in schema version 2 as an optional field.
   */
  windows?: CheckWindow[];
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
  extends?: 'sysv' | 'seed' | 'daemon3' | 'systemd';
  /**
   * The command is a new-style service (systemd Type=notify) that must NOT daemonize: it stays in
   * the foreground, sends READY=1 on NOTIFY_SOCKET and ends on SIGTERM. Judged by
   * stays-in-foreground, notify-ready and stops-on-sigterm instead of the start rules. @default false
   */
  service?: boolean;
  /** Rules this profile does not judge (reported as `skip` with the reason). */
  disabledRules?: RuleId[];
  /**
   * The strict reading: fail on state the program chose too (anything blocked, anything ignored
   * beyond allowIgnored, a umask or cwd other than the profile's), not only on inherited state.
   * @default false
   */
  strict?: boolean;
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
  isolation?: IsolationName;
  /** Docker image for the docker isolations. */
  image?: string;
  /** Extra environment for the command (added to the checker's own environment). */
  env?: Record<string, string>;
  /** Fail on chosen state too (see ProfileDefinition.strict); overrides the profile's setting. */
  strict?: boolean;
  /** The seed to draw the planted traps from (a report's `seed`, to replay it). @default a fresh one */
  seed?: string;
  /**
   * Also judge the daemon's later life (second start, stop, stale pidfile, pidfile at exit): the
   * LIFECYCLE_RULE_IDS rules. Needs `pidfile`. @default false
   */
  lifecycle?: boolean;
  /** With `lifecycle`: a shell command that stops the daemon, in place of SIGTERM to its pid. */
  stopCommand?: string;
  /** With `lifecycle`: how long the stop may take, in milliseconds. @default 5000 */
  stopTimeoutMs?: number;
  /**
   * The user the daemon must run as (a name or uid): judges `credentials` and `no-capabilities`.
   * The checker must run as root; it plants gid 0 and a trap group in the caller (Linux).
   */
  user?: string;
  /**
   * Plant this caller instead of the seeded traps (a `daemonspec fuzz` counterexample, or one
   * written by hand): its fds 0-2, extra fds, blocked and ignored signals, umask, cwd, fd limit,
   * terminal and session. Host isolation only.
   */
  caller?: CallerSpec;
  /**
   * Trace the launcher and everything it starts with strace (Linux) and add the trace to the
   * report; failing rules cite it. Throws EUNSUPPORTED before anything starts when strace or
   * ptrace is not available. @default false
   */
  trace?: boolean;
  /**
   * s6-style readiness: the command gets the write end of a pipe at this fd (3 to 9); a newline
   * on it before the command returns means ready, an end of file without one a failed start.
   */
  notifyFd?: number;
  /**
   * sd_notify readiness: the command gets a NOTIFY_SOCKET owned by the checker; READY=1 must come
   * from the daemon (or MAINPID= name it) before the command returns. @default false
   */
  notify?: boolean;
}

/** One window of a check (CheckReport.windows). */
export interface CheckWindow {
  /** `survives-hangup`: how long the daemon must outlive the terminal's hang-up. */
  window: 'survives-hangup';
  /** The window's full length. */
  fullMs: number;
  waitedMs: number;
  /** `deadline`: waited to its end; `death`: the daemon died in it; `known`: cut short, see `why`. */
  endedBy: 'deadline' | 'death' | 'known';
  why?: string;
}

/** The options of the checker proper, which runs on this host: where it runs is the isolation layer's choice. */
export type HostCheckOptions = Omit<CheckOptions, 'isolation' | 'image'>;
