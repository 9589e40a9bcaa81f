import type { NotifySocket } from '../notify.js';
import type { StartErrors } from '../start-errors.js';
import type { StartPlan } from '../start-plan.js';
import type { StatusChannel } from '../status-channel.js';
import type { LogFile } from '../stdio.js';

/** What a readiness strategy sees of a start whose inner sh reported its pid and was told `go`. */
export interface ReadinessContext {
  readonly plan: StartPlan;
  /** The daemon's pid: the inner sh's, which execs the program in place. */
  readonly pid: number;
  /** The inner sh's script: tells the inner sh from the program it execs (execState). */
  readonly inner: string;
  /** The status pipe: `exit N` from the outer sh when the daemon died, `ready`/`fail` from a Node daemon. */
  readonly channel: StatusChannel;
  /** The sd_notify socket, with `notify`. */
  readonly notify: NotifySocket | null;
  /** The daemon's stdout and stderr logs (one entry when both are the same file). */
  readonly logs: readonly LogFile[];
  /** Date.now() value after which the start times out. */
  readonly deadline: number;
  readonly errors: StartErrors;
  /** Races a wait with an interrupt of the start (SIGINT, SIGTERM, SIGHUP to this process). */
  wait<T>(promise: Promise<T>): Promise<T>;
}

/**
 * How a start decides that the daemon is ready: one per mode (a Node daemon's own report, sd_notify,
 * the exec, a log line, a TCP port, a file, a time alive). After waitReady() the start still lets
 * go of the daemon at one instant (let-go.ts): a daemon dead by then fails the start.
 */
export interface ReadinessStrategy {
  /** How the daemon reports ready, for the timeout message: ` (send READY=1 to NOTIFY_SOCKET)`, or ''. */
  readonly hint: string;
  /** Checks made before anything starts (a condition already true proves nothing); throws what is refused. */
  before?(): Promise<void>;
  /** Resolves once the daemon is ready; throws a DaemonspecError (EDIED, EFAILED, ETIMEOUT) otherwise. */
  waitReady(ctx: ReadinessContext): Promise<void>;
}
