/**
 * What the life-cycle steps (`check --lifecycle`) saw: the evidence the life-cycle rules judge
 * (src/check/rules/second-start-refused.ts and its siblings). Plain data, shown in the report's
 * `actual` values; each step that could not run says why instead.
 */

/** How one more start of the command ended. */
export interface StartObservation {
  /** The original process's exit status; null when it was killed or never returned. */
  exitCode: number | null;
  /** The signal that killed it (SIGKILL...), else null. */
  signal: string | null;
  /** It did not return within the check's timeout (its process group was then killed). */
  timedOut: boolean;
  /** The last lines it wrote on its terminal (at most 5). */
  lastLines: string[];
}

/** `second-start-refused`: the same command again while the first daemon runs. */
export interface SecondStartObservation {
  start: StartObservation;
  /** The first daemon still runs (same pid and start time) after the second start settled. */
  firstAlive: boolean;
  pidfileBefore: string | null;
  pidfileAfter: string | null;
  /** Processes of the second start still running once it settled (the checker stopped them). */
  secondDaemons: number[];
}

/** `stops-on-sigterm` and `pidfile-removed`: stopping the first daemon. */
export interface StopObservation {
  /** `SIGTERM` to the daemon's pid, or the tool's own stop command. */
  how: 'SIGTERM' | 'stop-command';
  stopCommand: string | null;
  /** The stop command's exit status (null: none given, killed, or it did not finish by the deadline). */
  stopCommandExit: number | null;
  /** The stop command's output tail (at most 5 lines). */
  stopCommandOutput: string[];
  deadlineMs: number;
  /** The daemon and everything it had started when the stop began. */
  targets: number[];
  /** Those still running at the deadline (the checker then killed them). */
  survivors: number[];
  /** The pidfile's content once everything had ended (null: gone); not read when survivors remain. */
  pidfileAfter: string | null;
}

/** One case of `stale-pidfile-recovered`: the pidfile left is stale, the command starts again. */
export interface StaleCase {
  /** `killed`: the pidfile a SIGKILLed daemon left; `empty`: a 0-byte pidfile. */
  kind: 'killed' | 'empty';
  /** What the pidfile held when the command was started again. */
  pidfileBefore: string;
  /** How the setup went, when it was not as planned (the pidfile did not survive the SIGKILL...). */
  setupNote: string | null;
  start: StartObservation;
  /** The pidfile's pid after the start, when it named a live process of this start. */
  newDaemon: number | null;
  pidfileAfter: string | null;
}

export interface StaleObservation {
  /** Set when the cases could not be set up (the command started no daemon to kill). */
  notJudged: string | null;
  cases: StaleCase[];
}

export interface LifecycleObservations {
  /** The pidfile's bytes the instant the command returned (null: absent); undefined when not sampled. */
  pidfileAtExit: string | null | undefined;
  /** Null when the step did not run, with the reason in `notRun`. */
  secondStart: SecondStartObservation | null;
  stop: StopObservation | null;
  stale: StaleObservation | null;
  /** Why a step that is null did not run. */
  notRun: string;
}
