import { DaemonspecError } from '../errors.js';
import { isRunning } from '../inspect/processes.js';
import { displayArg } from './raw-bytes.js';
import type { StartPlan } from './start-plan.js';
import type { StatusMessage } from './status-channel.js';

/*
 * The errors of a start that began (a process was spawned): each says what happened to the
 * daemon and what to do. The errors refused before anything starts come from validate.ts,
 * stdio.ts and pidfile.ts.
 */

/** What the start knows when it fails: read at the moment the error is made. */
export interface StartFacts {
  /** The daemon's pid once the inner sh reported it, else null. */
  readonly daemonPid: number | null;
  /** The outer sh's pid, or -1. */
  readonly outer: number;
  /** Whether the daemon's stderr is a regular file (its tail then comes with the error). */
  readonly stderrIsFile: boolean;
}

export class StartErrors {
  /** The daemon said it was ready (a Node daemon's `ready`, sd_notify READY=1): a death after that is not a failure to get ready. */
  private reportedReady = false;
  /**
   * @param readyHint how the daemon reports ready, appended to the timeout message
   *   (` (send READY=1 to NOTIFY_SOCKET)`), or ''
   */
  constructor(
    private readonly plan: StartPlan,
    private readonly facts: StartFacts,
    private readonly readyHint: string,
  ) {}

  private who(): string {
    const pid = this.facts.daemonPid;
    return pid === null ? 'the daemon' : `the daemon (PID ${pid})`;
  }

  private pidContext(): { pid: number } | Record<string, never> {
    const pid = this.facts.daemonPid;
    return pid === null ? {} : { pid };
  }

  /** With stderr on /dev/null (the default) or another non-file, nothing of the daemon's error is kept. */
  private seeError(): string {
    return this.facts.stderrIsFile ? `see its error below or in ${this.plan.stderr}` : `pass --stderr FILE (or the stderr option) to see its error`;
  }

  /** From now on a death is reported as one after the daemon said it was ready (issue 12.5). */
  markReported(): void {
    this.reportedReady = true;
  }

  /** The daemon (or the chain) ended before it was ready: `message` is what the chain last said. */
  died(message: StatusMessage | null): DaemonspecError {
    if (message?.kind === 'exit') {
      const status = message.status;
      if (status === 126 || status === 127) {
        return new DaemonspecError('EEXEC', `${displayArg(this.plan.path)} could not be executed (status ${status}): check it exists, is executable and its interpreter (#!) exists`, {
          path: displayArg(this.plan.path),
        });
      }
      const how = status > 128 ? `was killed by signal ${status - 128}` : `exited with status ${status}`;
      const when = this.reportedReady ? `reported ready, then ${how}` : `${how} before it reported ready`;
      return new DaemonspecError('EDIED', `${this.who()} ${when}: ${this.seeError()}`, this.pidContext());
    }
    const pid = this.facts.daemonPid;
    if (pid !== null && isRunning(pid)) {
      // The pipe closed while the daemon still runs: the intermediate sh was killed from outside.
      return new DaemonspecError(
        'EDIED',
        `the intermediate process (PID ${this.facts.outer}) died before ${this.who()} reported ready, so the start was abandoned and the daemon killed: was it killed by another program? start again`,
        { pid },
      );
    }
    const when = this.reportedReady ? 'reported ready, then exited' : 'exited before it reported ready';
    return new DaemonspecError('EDIED', `${this.who()} ${when}: ${this.seeError()}`, this.pidContext());
  }

  timeout(): DaemonspecError {
    return new DaemonspecError(
      'ETIMEOUT',
      `${this.who()} did not report ready within ${this.plan.timeoutMs} ms and was killed: raise the timeout, or make it report ready${this.readyHint}`,
      this.pidContext(),
    );
  }

  /** A Node daemon's fail() or uncaught error, as it sent it on the pipe. */
  failed(error: Record<string, unknown>): DaemonspecError {
    const pid = this.facts.daemonPid ?? 0;
    const message = typeof error.message === 'string' ? error.message : 'no message';
    const detail = typeof error.stack === 'string' ? error.stack : typeof error.detail === 'string' ? error.detail : undefined;
    return new DaemonspecError('EFAILED', `the daemon (PID ${pid}) failed before it was ready: ${message}`, detail === undefined ? { pid } : { pid, detail });
  }

  /** sd_notify ERRNO= before READY=1. */
  notifyErrno(errno: number, status: string | undefined): DaemonspecError {
    const pid = this.facts.daemonPid ?? 0;
    return new DaemonspecError('EFAILED', `the daemon (PID ${pid}) reported failure by sd_notify: ERRNO=${errno}${status ? ` (${status})` : ''}`, { pid });
  }

  pidfileWrite(error: unknown): DaemonspecError {
    return new DaemonspecError('EPIDFILE', `cannot write pidfile ${this.plan.pidfile}: ${(error as Error).message}`, { cause: error });
  }
}

/** posix_spawn of the chain failed: its own DaemonspecError (EEXEC with the errno), or one made of anything else. */
export function spawnError(error: unknown): DaemonspecError {
  return error instanceof DaemonspecError ? error : new DaemonspecError('EEXEC', String(error));
}

/** The error with the daemon's own output as its detail, unless it carries a detail already. */
export function withDaemonOutput(error: DaemonspecError, tail: string): DaemonspecError {
  if (!tail || error.detail) return error;
  return new DaemonspecError(error.code, error.message, {
    detail: `the daemon's output:\n${tail}`,
    ...(error.pid !== undefined ? { pid: error.pid } : {}),
    ...(error.path !== undefined ? { path: error.path } : {}),
  });
}

/**
 * The error, naming the processes of the start that SIGKILL did not end within the bound (stuck
 * in the kernel, in state D): the start failed and something of it may still run.
 */
export function withLeftRunning(error: DaemonspecError, pids: readonly number[]): DaemonspecError {
  if (pids.length === 0) return error;
  const list = pids.join(', ');
  return new DaemonspecError(error.code, `${error.message}; PID ${list} of the start still ran 2 s after SIGKILL (see them with: ps -o pid,stat,wchan,args -p ${pids.join(',')})`, {
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
    ...(error.pid !== undefined ? { pid: error.pid } : {}),
    ...(error.path !== undefined ? { path: error.path } : {}),
  });
}
