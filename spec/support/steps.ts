/**
 * The step-interpreter daemon (fixtures/steps/daemon.py) from TypeScript: build its argument
 * list from a step set, and compute, independently of the checker, the verdict each rule
 * should get for that step set. This is the model side of the checker's own conformance test:
 * "checker verdicts == verdicts computed from the chosen steps", rule by rule.
 *
 * The model assumes the checker's launcher as issue 3 describes it: the command's original
 * process is a process-group leader (not a session leader) on a fresh pty, with a trap umask, a
 * temporary cwd, a trap signal blocked and one ignored, and leaked non-CLOEXEC fds.
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


/** What the step program has done so far, as the model tracks it: one step at a time. */
class StepModel {
  forks = 0;
  pgrpLeader = true; // the launcher puts the command in its own process group
  setsidDone = false;
  sessionLeader = false;
  died = false;
  diedOfExitEarly = false;
  umask: number | null = null;
  cwd: string | null = null;
  closedLeaks = false;
  maskEmpty = false;
  dispositionsDefault = false;
  readonly fds: FdTarget[] = [{ kind: 'tty' }, { kind: 'tty' }, { kind: 'tty' }];
  pidfile: { path: string; generation: number } | null = null;
  readonly logs = new Map<string, string[]>(); // file path → lines written to it
  // Readiness as the original sees it when it exits.
  originalExited = false;
  originalExitCode: number | null = null;
  readyAtExit: boolean | 'either' | null = null;
  private raceOpen = false; // the original has exited without waiting; readiness events race it
  private readyNow = false;
  private waitedForOriginal = false;
  private notified = false;
  readonly readinessProbe: boolean;

  constructor(
    private readonly exp: Expectations,
    private readonly hasNotify: boolean,
  ) {
    this.readinessProbe = exp.pidfile !== undefined || exp.readyLog !== undefined;
  }

  /**
   * The checker's readiness evidence: the ready-log line when one is given (it is the more
   * specific signal: a pidfile is often written before the daemon is ready), else the pidfile.
   */
  isReady(): boolean {
    if (this.exp.readyLog !== undefined) return this.logMatches(this.exp.readyLog);
    return this.exp.pidfile !== undefined && this.pidfile !== null && this.pidfile.path === this.exp.pidfile;
  }

  logMatches(regex: string): boolean {
    const re = new RegExp(regex, 'm');
    const lines = [this.exp.stdout, this.exp.stderr].flatMap((p) => (p === undefined ? [] : (this.logs.get(p) ?? [])));
    return lines.some((line) => re.test(line));
  }

  fdIs(fd: number, path: string | undefined): boolean {
    const t = this.fds[fd];
    return t?.kind === 'file' && t.path === path;
  }

  private write(fd: number, text: string): void {
    const target = this.fds[fd];
    if (target?.kind !== 'file') return;
    this.logs.set(target.path, [...(this.logs.get(target.path) ?? []), text]);
  }

  private originalExits(code: number): void {
    if (this.originalExited) return;
    this.originalExited = true;
    this.originalExitCode = code;
    this.readyAtExit = this.readinessProbe ? this.isReady() : null;
  }

  /** Steps that change the process tree, the session or the original's exit; false for the others. */
  private applyProcessStep(s: Step): boolean {
    switch (s.step) {
      case 'fork':
        this.forks += 1;
        this.pgrpLeader = false;
        this.sessionLeader = false;
        if (!this.originalExited && (!this.hasNotify || this.notified)) {
          this.originalExits(0);
          this.raceOpen = true;
        }
        return true;
      case 'setsid':
        if (this.pgrpLeader) {
          this.died = true; // EPERM: a process-group leader cannot start a session
        } else {
          this.setsidDone = true;
          this.sessionLeader = true;
          this.pgrpLeader = true;
        }
        return true;
      case 'notify-parent':
        this.notified = true;
        if (this.forks > 0) this.originalExits(0);
        return true;
      case 'wait-original-exit':
        if (this.originalExited) this.waitedForOriginal = true;
        return true;
      case 'exit-early':
        this.died = true;
        this.diedOfExitEarly = true;
        return true;
      default:
        return false;
    }
  }

  /** Steps that change what the daemon holds: umask, cwd, fds, signals, pidfile, logs. */
  private applyStateStep(s: Step): void {
    switch (s.step) {
      case 'umask':
        this.umask = s.value;
        break;
      case 'chdir':
        this.cwd = s.dir;
        break;
      case 'close-fds':
        this.closedLeaks = true;
        break;
      case 'stdin':
        this.fds[0] = { kind: 'file', path: s.path };
        break;
      case 'stdout':
        this.fds[1] = { kind: 'file', path: s.path };
        break;
      case 'stderr':
        this.fds[2] = { kind: 'file', path: s.path };
        break;
      case 'seed-redirect':
        this.fds[0] = { kind: 'file', path: s.out };
        this.fds[1] = { kind: 'file', path: s.err };
        this.fds[2] = { kind: 'closed' };
        break;
      case 'reset-signals':
        this.maskEmpty = true;
        this.dispositionsDefault = true;
        break;
      case 'unblock-signals':
        this.maskEmpty = true;
        break;
      case 'default-signals':
        this.dispositionsDefault = true;
        break;
      case 'pidfile':
        this.pidfile = { path: s.path, generation: this.forks };
        break;
      case 'ready-log':
        this.write(1, s.text);
        break;
      case 'log-err':
        this.write(2, s.text);
        break;
      default:
        break;
    }
  }

  apply(s: Step): void {
    if (!this.applyProcessStep(s)) this.applyStateStep(s);
    if (this.raceOpen && !this.waitedForOriginal && !this.readyNow && this.isReady()) {
      this.readyNow = true;
      // The first readiness event after an unsynchronised exit: it may win or lose the race.
      if (this.readyAtExit === false) this.readyAtExit = 'either';
    }
  }

  /** After the last step (or the death of the process running them). */
  finish(): void {
    if (!this.originalExited && this.forks > 0) {
      // A readiness pipe that closed without "R" (the daemon died, or finished its steps without
      // reaching notify-parent): the original exits 1.
      this.originalExits(1);
    } else if (!this.originalExited && this.died) {
      // The original itself failed a step (exit 1) or ran exit-early (exit 3) before any fork.
      this.originalExits(this.diedOfExitEarly ? 3 : 1);
    }
  }
}

/** Every rule's expected status once the steps have run. */
function judgeModel(model: StepModel, exp: Expectations, given: Expectations, profile: ProfileName): Record<RuleId, ExpectedStatus> {
  // With no fork the original never exits and is no daemon; a dead daemon cannot be inspected:
  // how the checker words those cases is its own business, so the model says only "the run fails".
  const judgeable = !model.died && model.forks > 0;
  const rules = {} as Record<RuleId, ExpectedStatus>;
  const judge = (id: RuleId, given: boolean, pass: boolean | 'either'): void => {
    if (!given) rules[id] = 'skip';
    else if (!judgeable && id !== 'launcher-exit' && id !== 'ready-before-exit') rules[id] = 'either';
    else rules[id] = pass === 'either' ? 'either' : pass ? 'pass' : 'fail';
  };
  const { pidfile } = model;

  judge('launcher-exit', true, model.originalExited && model.originalExitCode === 0);
  judge('ready-before-exit', model.readinessProbe, model.readyAtExit === null ? false : model.readyAtExit);
  judge('reparented', true, model.forks > 0);
  judge('new-session', true, model.setsidDone);
  judge('not-session-leader', profile !== 'daemon3', !model.sessionLeader);
  judge('no-controlling-tty', true, model.setsidDone);
  // Never set: the caller's (the checker's trap) is inherited, a failure. Set by the program: a
  // choice, judged exactly only when the caller of checkDaemon gave the value (not the profile).
  judge('umask', exp.umask !== undefined, model.umask !== null && (model.umask === exp.umask || given.umask === undefined));
  judge('cwd', exp.cwd !== undefined, model.cwd !== null && (model.cwd === exp.cwd || given.cwd === undefined));
  judge('stdin-devnull', exp.stdinDevnull !== false, model.fdIs(0, '/dev/null'));
  judge('stdout-target', exp.stdout !== undefined, model.fdIs(1, exp.stdout));
  judge('stderr-target', exp.stderr !== undefined, model.fdIs(2, exp.stderr));
  judge('no-leaked-fds', true, model.closedLeaks);
  judge('signal-mask-empty', true, model.maskEmpty);
  // Without a reset the launcher's ignored trap signal stays ignored (inherited: a failure);
  // Python's own SIGPIPE and SIGXFSZ are chosen, a note.
  judge('signal-dispositions-default', true, model.dispositionsDefault);
  // Content and identity only: when it was written is ready-before-exit's to judge.
  judge('pidfile', exp.pidfile !== undefined, pidfile !== null && pidfile.path === exp.pidfile && pidfile.generation === model.forks);
  // Even without a new session the daemon survives: once the original has exited, the launcher's
  // shell takes the terminal's foreground back, so the hangup's SIGHUP goes to the shell's group,
  // and the daemon's orphaned group has no stopped member to be sent SIGHUP (measured with the
  // real checker: the no-setsid defect passes this rule).
  judge('survives-hangup', true, true);
  judge('log-contents', exp.expectLog !== undefined, exp.expectLog !== undefined && model.logMatches(exp.expectLog));
  return rules;
}

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
  const model = new StepModel(exp, steps.some((s) => s.step === 'notify-parent'));
  for (const s of steps) {
    if (model.died) break;
    model.apply(s);
  }
  model.finish();
  const rules = judgeModel(model, exp, given, profile);
  const judgeable = !model.died && model.forks > 0;
  const statuses = Object.values(rules);
  const verdict = !judgeable || statuses.includes('fail') ? 'fail' : statuses.includes('either') ? 'either' : 'pass';
  return { rules, originalExits: model.originalExited, originalExitCode: model.originalExitCode, daemonAlive: !model.died, verdict };
}

/** The rules the model says must fail. */
export function expectedFailures(outcome: ExpectedOutcome): RuleId[] {
  return (Object.entries(outcome.rules) as [RuleId, ExpectedStatus][])
    .filter(([, status]) => status === 'fail')
    .map(([rule]) => rule);
}
