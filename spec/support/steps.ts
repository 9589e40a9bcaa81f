/**
 * The step-interpreter daemon (fixtures/steps/daemon.py) from TypeScript: build its argument
 * list from a step set, and compute, independently of the checker, the verdict each rule
 * should get for that step set. This is the model side of the checker's own conformance test:
 * "checker verdicts == verdicts computed from the chosen steps", rule by rule.
 *
 * The model assumes the checker's launcher as issue 3 describes it: the command's original
 * process is a process-group leader (not a session leader) on a fresh pty, with umask 077, a
 * temporary cwd, SIGUSR1 blocked, SIGUSR2 ignored, and leaked non-CLOEXEC fds.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Expectations, RuleId } from '../../src/check/report-types.js';

export const PYTHON = '/usr/bin/python3';
export const STEPS_DAEMON = fileURLToPath(new URL('../../fixtures/steps/daemon.py', import.meta.url));

export type Step =
  | { step: 'fork' }
  | { step: 'setsid' }
  | { step: 'umask'; value: number }
  | { step: 'chdir'; dir: string }
  | { step: 'close-fds' }
  | { step: 'stdin'; path: string }
  | { step: 'stdout'; path: string }
  | { step: 'stderr'; path: string }
  | { step: 'seed-redirect'; out: string; err: string }
  | { step: 'reset-signals' }
  | { step: 'unblock-signals' }
  | { step: 'default-signals' }
  | { step: 'pidfile'; path: string }
  | { step: 'ready-log'; text: string }
  | { step: 'log-err'; text: string }
  | { step: 'notify-parent' }
  | { step: 'ready-delay'; ms: number }
  | { step: 'wait-original-exit' }
  | { step: 'exit-early' };

export type StepName = Step['step'];

/** One argument of daemon.py for a step. */
export function stepArg(s: Step): string {
  switch (s.step) {
    case 'umask':
      return `umask=${s.value.toString(8).padStart(3, '0')}`;
    case 'chdir':
      return `chdir=${s.dir}`;
    case 'stdin':
    case 'stdout':
    case 'stderr':
    case 'pidfile':
      return `${s.step}=${s.path}`;
    case 'seed-redirect':
      return `seed-redirect=${s.out},${s.err}`;
    case 'ready-log':
    case 'log-err':
      return `${s.step}=${s.text}`;
    case 'ready-delay':
      return `ready-delay=${s.ms}`;
    default:
      return s.step;
  }
}

/** The full command line: `/usr/bin/python3 …/daemon.py STEP...`. */
export function stepsCommand(steps: readonly Step[]): string[] {
  return [PYTHON, STEPS_DAEMON, ...steps.map(stepArg)];
}

export interface StepPaths {
  pidfile: string;
  stdout: string;
  stderr: string;
}

/** The conventional paths inside a per-run work directory (as the fixture placeholders name them). */
export function stepPaths(work: string): StepPaths {
  return { pidfile: join(work, 'daemon.pid'), stdout: join(work, 'out.log'), stderr: join(work, 'err.log') };
}

export const READY_TEXT = 'steps-daemon ready';

/** Every step of a correct SysV daemon (systemd daemon(7)'s list, umask 022). */
export function correctSteps(paths: StepPaths): Step[] {
  return [
    { step: 'reset-signals' },
    { step: 'close-fds' },
    { step: 'fork' },
    { step: 'setsid' },
    { step: 'fork' },
    { step: 'umask', value: 0o022 },
    { step: 'chdir', dir: '/' },
    { step: 'stdin', path: '/dev/null' },
    { step: 'stdout', path: paths.stdout },
    { step: 'stderr', path: paths.stderr },
    { step: 'pidfile', path: paths.pidfile },
    { step: 'ready-log', text: READY_TEXT },
    { step: 'notify-parent' },
  ];
}

/** The expectations that go with {@link correctSteps} (sysv profile defaults for umask and cwd). */
export function correctExpectations(paths: StepPaths): Expectations {
  return {
    pidfile: paths.pidfile,
    stdout: paths.stdout,
    stderr: paths.stderr,
    readyLog: READY_TEXT,
    expectLog: READY_TEXT,
  };
}

function without(steps: readonly Step[], name: StepName, occurrence = 0): Step[] {
  let seen = -1;
  return steps.filter((s) => !(s.step === name && ++seen === occurrence));
}

function replace(steps: readonly Step[], name: StepName, by: Step[]): Step[] {
  return steps.flatMap((s) => (s.step === name ? by : [s]));
}

export interface Defect {
  name: string;
  /** The correct steps with exactly one thing changed. */
  steps: (paths: StepPaths) => Step[];
  /** The rules that must fail under sysv with {@link correctExpectations}; every other rule passes. */
  fails: RuleId[];
}

/** Issue 3's defect daemons: one deliberate defect each. */
export const DEFECTS: readonly Defect[] = [
  { name: 'single-fork', steps: (p) => without(correctSteps(p), 'fork', 1), fails: ['not-session-leader'] },
  {
    name: 'no-setsid',
    steps: (p) => without(correctSteps(p), 'setsid'),
    fails: ['new-session', 'no-controlling-tty'],
  },
  { name: 'leaked-fd', steps: (p) => without(correctSteps(p), 'close-fds'), fails: ['no-leaked-fds'] },
  { name: 'umask-kept', steps: (p) => without(correctSteps(p), 'umask'), fails: ['umask'] },
  { name: 'no-chdir', steps: (p) => without(correctSteps(p), 'chdir'), fails: ['cwd'] },
  { name: 'stdin-on-tty', steps: (p) => without(correctSteps(p), 'stdin'), fails: ['stdin-devnull'] },
  {
    name: 'signal-mask-kept',
    steps: (p) => replace(correctSteps(p), 'reset-signals', [{ step: 'default-signals' }]),
    fails: ['signal-mask-empty'],
  },
  {
    name: 'ignored-signal-kept',
    steps: (p) => replace(correctSteps(p), 'reset-signals', [{ step: 'unblock-signals' }]),
    fails: ['signal-dispositions-default'],
  },
  {
    name: 'parent-exits-before-ready',
    steps: (p) =>
      replace(without(correctSteps(p), 'notify-parent'), 'umask', [
        // Waits until the original is reaped and the launcher has recorded the evidence of that
        // exit, then gets ready: the checker must see "not ready". No sleep stands in for the wait.
        { step: 'wait-original-exit' },
        { step: 'umask', value: 0o022 },
      ]),
    // The pidfile is written in the same late set-up; its lateness is ready-before-exit's to judge.
    fails: ['ready-before-exit'],
  },
  {
    name: 'seed-fd-mixup',
    steps: (p) =>
      without(without(replace(correctSteps(p), 'stdin', [{ step: 'seed-redirect', out: p.stdout, err: p.stderr }]), 'stdout'), 'stderr'),
    fails: ['stdin-devnull', 'stdout-target', 'stderr-target'],
  },
];

/** A verdict the model predicts: `either` where the outcome is a race or not the model's to say. */
export type ExpectedStatus = 'pass' | 'fail' | 'skip' | 'either';

export interface ExpectedOutcome {
  /** Per rule. A rule whose expectation is missing is `skip`. */
  rules: Record<RuleId, ExpectedStatus>;
  /** Whether the original process exits at all (it does not when no step forks). */
  originalExits: boolean;
  /** The original's exit status, when it exits. */
  originalExitCode: number | null;
  /** Whether a daemon is left running after the steps. */
  daemonAlive: boolean;
  /** The overall verdict: `fail` as soon as one rule must fail. */
  verdict: 'pass' | 'fail' | 'either';
}

export type ProfileName = 'sysv' | 'seed' | 'daemon3';

/** The model's reading of the built-in profiles (issue 3): defaults a caller's expectations override. */
export function profileExpectations(profile: ProfileName, given: Expectations): Expectations {
  // daemon(3) leaves the umask alone: its profile does not judge it.
  const base: Expectations =
    profile === 'seed'
      ? { umask: 0, stdinDevnull: false }
      : profile === 'daemon3'
        ? { cwd: '/', stdinDevnull: true }
        : { umask: 0o022, cwd: '/', stdinDevnull: true };
  const out: Expectations = { ...base };
  for (const [key, value] of Object.entries(given)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

type FdTarget = { kind: 'tty' } | { kind: 'closed' } | { kind: 'file'; path: string };

/** Signals the fixture leaves ignored without `default-signals`: Python's own two and the launcher's trap. */
const IGNORED_WITHOUT_RESET = ['SIGPIPE', 'SIGXFSZ', 'SIGUSR2'];

/**
 * The verdicts to expect for a step set, under a profile, with the given expectations.
 * Paths are compared as strings: pass the same strings to the steps and the expectations.
 */
export function expectedVerdicts(
  steps: readonly Step[],
  given: Expectations = {},
  profile: ProfileName = 'sysv',
): ExpectedOutcome {
  const exp = profileExpectations(profile, given);
  const hasNotify = steps.some((s) => s.step === 'notify-parent');

  let forks = 0;
  let pgrpLeader = true; // the launcher puts the command in its own process group
  let setsidDone = false;
  let sessionLeader = false;
  let died = false;
  let diedOfExitEarly = false;
  let umask: number | null = null;
  let cwd: string | null = null;
  let closedLeaks = false;
  let maskEmpty = false;
  let dispositionsDefault = false;
  const fds: FdTarget[] = [{ kind: 'tty' }, { kind: 'tty' }, { kind: 'tty' }];
  let pidfile: { path: string; generation: number } | null = null;
  const logs = new Map<string, string[]>(); // file path → lines written to it
  // Readiness as the original sees it when it exits.
  let originalExited = false;
  let originalExitCode: number | null = null;
  let readyAtExit: boolean | 'either' | null = null;
  let raceOpen = false; // the original has exited without waiting; readiness events race it
  let readyNow = false;
  let waitedForOriginal = false;
  let notified = false;

  const readinessProbe = exp.pidfile !== undefined || exp.readyLog !== undefined;
  // The checker's readiness evidence: the ready-log line when one is given (it is the more
  // specific signal: a pidfile is often written before the daemon is ready), else the pidfile.
  const isReady = (): boolean => {
    if (exp.readyLog !== undefined) return logMatches(exp.readyLog);
    return exp.pidfile !== undefined && pidfile !== null && pidfile.path === exp.pidfile;
  };
  const readLogs = (): string[] =>
    [exp.stdout, exp.stderr].flatMap((p) => (p === undefined ? [] : (logs.get(p) ?? [])));
  const logMatches = (regex: string): boolean => {
    const re = new RegExp(regex, 'm');
    return readLogs().some((line) => re.test(line));
  };
  const write = (fd: number, text: string): void => {
    const target = fds[fd];
    if (target?.kind !== 'file') return;
    logs.set(target.path, [...(logs.get(target.path) ?? []), text]);
  };
  const originalExits = (code: number): void => {
    if (originalExited) return;
    originalExited = true;
    originalExitCode = code;
    readyAtExit = readinessProbe ? isReady() : null;
  };

  for (const s of steps) {
    if (died) break;
    switch (s.step) {
      case 'fork':
        forks += 1;
        pgrpLeader = false;
        sessionLeader = false;
        if (!originalExited && (!hasNotify || notified)) {
          originalExits(0);
          raceOpen = true;
        }
        break;
      case 'setsid':
        if (pgrpLeader) {
          died = true; // EPERM: a process-group leader cannot start a session
        } else {
          setsidDone = true;
          sessionLeader = true;
          pgrpLeader = true;
        }
        break;
      case 'umask':
        umask = s.value;
        break;
      case 'chdir':
        cwd = s.dir;
        break;
      case 'close-fds':
        closedLeaks = true;
        break;
      case 'stdin':
        fds[0] = { kind: 'file', path: s.path };
        break;
      case 'stdout':
        fds[1] = { kind: 'file', path: s.path };
        break;
      case 'stderr':
        fds[2] = { kind: 'file', path: s.path };
        break;
      case 'seed-redirect':
        fds[0] = { kind: 'file', path: s.out };
        fds[1] = { kind: 'file', path: s.err };
        fds[2] = { kind: 'closed' };
        break;
      case 'reset-signals':
        maskEmpty = true;
        dispositionsDefault = true;
        break;
      case 'unblock-signals':
        maskEmpty = true;
        break;
      case 'default-signals':
        dispositionsDefault = true;
        break;
      case 'pidfile':
        pidfile = { path: s.path, generation: forks };
        break;
      case 'ready-log':
        write(1, s.text);
        break;
      case 'log-err':
        write(2, s.text);
        break;
      case 'notify-parent':
        notified = true;
        if (forks > 0) originalExits(0);
        break;
      case 'wait-original-exit':
        if (originalExited) waitedForOriginal = true;
        break;
      case 'ready-delay':
        break;
      case 'exit-early':
        died = true;
        diedOfExitEarly = true;
        break;
    }
    if (raceOpen && !waitedForOriginal && !readyNow && isReady()) {
      readyNow = true;
      // The first readiness event after an unsynchronised exit: it may win or lose the race.
      if ((readyAtExit as typeof readyAtExit | boolean) === false) readyAtExit = 'either'; // assigned in originalExits(): TS cannot see it
    }
  }
  if (!originalExited && forks > 0) {
    // A readiness pipe that closed without "R" (the daemon died, or finished its steps without
    // reaching notify-parent): the original exits 1.
    originalExits(1);
  } else if (!originalExited && died) {
    // The original itself failed a step (exit 1) or ran exit-early (exit 3) before any fork.
    originalExits(diedOfExitEarly ? 3 : 1);
  }

  const daemonAlive = !died;
  const originalExitsAtAll = originalExited;
  // With no fork the original never exits and is no daemon; a dead daemon cannot be inspected:
  // how the checker words those cases is its own business, so the model says only "the run fails".
  const judgeable = daemonAlive && forks > 0;
  const rules = {} as Record<RuleId, ExpectedStatus>;
  const judge = (id: RuleId, given: boolean, pass: boolean | 'either'): void => {
    if (!given) rules[id] = 'skip';
    else if (!judgeable && id !== 'launcher-exit' && id !== 'ready-before-exit') rules[id] = 'either';
    else rules[id] = pass === 'either' ? 'either' : pass ? 'pass' : 'fail';
  };
  const fdIs = (fd: number, path: string | undefined): boolean => {
    const t = fds[fd];
    return t?.kind === 'file' && t.path === path;
  };
  const ignoredLeft = dispositionsDefault ? [] : IGNORED_WITHOUT_RESET;
  const allowed = new Set(exp.allowIgnored ?? []);

  judge('launcher-exit', true, originalExitsAtAll && originalExitCode === 0);
  judge('ready-before-exit', readinessProbe, readyAtExit === null ? false : readyAtExit);
  judge('reparented', true, forks > 0);
  judge('new-session', true, setsidDone);
  judge('not-session-leader', profile !== 'daemon3', !sessionLeader);
  judge('no-controlling-tty', true, setsidDone);
  judge('umask', exp.umask !== undefined, umask === exp.umask);
  judge('cwd', exp.cwd !== undefined, cwd === exp.cwd);
  judge('stdin-devnull', exp.stdinDevnull !== false, fdIs(0, '/dev/null'));
  judge('stdout-target', exp.stdout !== undefined, fdIs(1, exp.stdout));
  judge('stderr-target', exp.stderr !== undefined, fdIs(2, exp.stderr));
  judge('no-leaked-fds', true, closedLeaks);
  judge('signal-mask-empty', true, maskEmpty);
  judge('signal-dispositions-default', true, ignoredLeft.every((name) => allowed.has(name)));
  // Content and identity only: when it was written is ready-before-exit's to judge.
  judge('pidfile', exp.pidfile !== undefined, pidfile !== null && pidfile.path === exp.pidfile && pidfile.generation === forks);
  // Even without a new session the daemon survives: once the original has exited, the launcher's
  // shell takes the terminal's foreground back, so the hangup's SIGHUP goes to the shell's group,
  // and the daemon's orphaned group has no stopped member to be sent SIGHUP (measured with the
  // real checker: the no-setsid defect passes this rule).
  judge('survives-hangup', true, true);
  judge('log-contents', exp.expectLog !== undefined, exp.expectLog !== undefined && logMatches(exp.expectLog));

  const statuses = Object.values(rules);
  const verdict = !judgeable || statuses.includes('fail') ? 'fail' : statuses.includes('either') ? 'either' : 'pass';
  return { rules, originalExits: originalExitsAtAll, originalExitCode, daemonAlive, verdict };
}

/** The rules the model says must fail. */
export function expectedFailures(outcome: ExpectedOutcome): RuleId[] {
  return (Object.entries(outcome.rules) as [RuleId, ExpectedStatus][])
    .filter(([, status]) => status === 'fail')
    .map(([rule]) => rule);
}
