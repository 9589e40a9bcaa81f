import type { CheckOptions, CheckReport, IsolationName } from '../check/report-types.js';

export { ISOLATION_NAMES, type IsolationName } from '../check/report-types.js';

/** A bind mount for the docker backend (host and container paths are the same otherwise). */
export interface Mount {
  host: string;
  container: string;
  readOnly?: boolean;
}

/** One check to run in an isolation: the daemonizing command and the checker's options. */
export interface IsolatedCheck {
  /** The daemonizing command, with paths as seen from inside the isolation. */
  command: readonly string[];
  /** The checker's options (`isolation` is ignored: the backend decides). */
  options?: CheckOptions;
  /** docker: extra bind mounts (the project is always mounted read-only at /daemonspec). */
  mounts?: readonly Mount[];
  /**
   * Kill the whole isolated run (container, namespace) after this long.
   * @default (options.timeoutMs ?? 10000) × (options.repeat ?? 1) + 30000
   */
  deadlineMs?: number;
  /**
   * host: run the checker as a child process (`daemonspec check --json`) instead of in this
   * one, so that several host checks can run at once, each the only subreaper of its daemon.
   */
  separateProcess?: boolean;
}

/** A backend: runs one check and returns the same report the host checker returns. */
export interface IsolationBackend {
  readonly name: IsolationName;
  run(check: IsolatedCheck): Promise<CheckReport>;
}

/** Whether an isolation can run here; when not, the reason names the fix. */
export type Availability = { available: true } | { available: false; reason: string };
