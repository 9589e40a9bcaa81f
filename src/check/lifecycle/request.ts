import { DaemonspecError } from '../../errors.js';
import { checkWaitMs } from '../../longest-wait.js';

/** The default deadline of `stops-on-sigterm` (--stop-timeout). */
export const DEFAULT_STOP_TIMEOUT_MS = 5000;

/** What the life-cycle steps need to start the command again and stop it. */
export interface LifecycleRequest {
  /** argv, argv[0] resolved. */
  command: readonly string[];
  /** The command's environment (without the check's marker: each start gets its own). */
  env: Record<string, string>;
  /** Where the command runs (the first start's working directory). */
  cwd: string;
  umask: number;
  pidfile: string;
  /** Deadline for each start to return and settle. */
  timeoutMs: number;
  /** A shell command that stops the daemon (run with /bin/sh -c), in place of SIGTERM. */
  stopCommand: string | undefined;
  stopTimeoutMs: number;
}

export interface LifecycleOptions {
  lifecycle?: boolean | undefined;
  stopCommand?: string | undefined;
  stopTimeoutMs?: number | undefined;
  pidfile?: string | undefined;
}

/**
 * Refuses, before anything starts, life-cycle options that cannot work: the rules judge the
 * pidfile, so --lifecycle needs one; --stop-command and --stop-timeout mean nothing without it.
 */
export function validateLifecycle(options: LifecycleOptions): { stopTimeoutMs: number } | null {
  const usage = (message: string): DaemonspecError => new DaemonspecError('EUSAGE', message);
  if (options.lifecycle !== true) {
    if (options.stopCommand !== undefined) throw usage('--stop-command is used by the life-cycle rules: add --lifecycle');
    if (options.stopTimeoutMs !== undefined) throw usage('--stop-timeout is used by the life-cycle rules: add --lifecycle');
    return null;
  }
  if (options.pidfile === undefined) {
    throw usage('--lifecycle needs --pidfile FILE: the life-cycle rules start, stop and restart the daemon through its pidfile');
  }
  if (options.stopCommand !== undefined && options.stopCommand.trim() === '') throw usage('--stop-command is empty: give a shell command, e.g. "mytool stop"');
  const stopTimeoutMs = checkWaitMs(options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS, '--stop-timeout');
  return { stopTimeoutMs };
}
