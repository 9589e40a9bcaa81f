/**
 * One error type for the whole project, in the manner of Node's fs errors and execa:
 * a stable `code` a program can switch on, the context that explains it, and a message
 * that says what to do.
 */
export type DaemonspecErrorCode =
  | 'EUSAGE' // a bad option value or a malformed command line
  | 'ECWD' // the working directory is missing, not a directory or not searchable
  | 'ELOG' // a log file cannot be opened for appending
  | 'EPIDFILE' // the pidfile cannot be created, read or replaced
  | 'EPIDFILE_LOCKED' // another live daemon holds the pidfile
  | 'EUSER' // unknown user or group, or a privilege drop without root
  | 'EEXEC' // the command is missing, not executable, or exec failed
  | 'EDIED' // the daemon exited before it reported ready (or right after: "reported ready, then exited")
  | 'EFAILED' // the daemon reported a failure (fail(), ERRNO= or an uncaught error)
  | 'ETIMEOUT' // the daemon did not become ready, or did not stop, in time
  | 'ENOTRUNNING' // stop or status found no running daemon
  | 'ESYSCALL' // a system call failed where none was expected
  | 'EUNSUPPORTED' // this platform cannot do what was asked
  | 'ECHECK'; // the conformance checker could not run the command or find the daemon

export interface DaemonspecErrorContext {
  /** errno name such as `ENOENT`, when a system call failed. */
  errno?: string;
  /** The system call or operation that failed. */
  syscall?: string;
  path?: string;
  pid?: number;
  fd?: number;
  /** Anything else worth printing with the error (the daemon's own stderr, for instance). */
  detail?: string;
  /** Refused before anything was started: see {@link DaemonspecError.refused}. */
  refused?: boolean;
  cause?: unknown;
}

export class DaemonspecError extends Error {
  override readonly name = 'DaemonspecError';
  readonly code: DaemonspecErrorCode;
  readonly errno?: string;
  readonly syscall?: string;
  readonly path?: string;
  readonly pid?: number;
  readonly fd?: number;
  readonly detail?: string;
  /**
   * True when the error was raised before anything was started (a bad option, a missing command,
   * a log, directory or pidfile that cannot be used, a pidfile held by a running daemon): nothing
   * ran and nothing is left. The CLI exits 2 for it; a start that began and failed exits 1.
   */
  refused: boolean;

  constructor(code: DaemonspecErrorCode, message: string, context: DaemonspecErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    if (context.errno !== undefined) this.errno = context.errno;
    if (context.syscall !== undefined) this.syscall = context.syscall;
    if (context.path !== undefined) this.path = context.path;
    if (context.pid !== undefined) this.pid = context.pid;
    if (context.fd !== undefined) this.fd = context.fd;
    if (context.detail !== undefined) this.detail = context.detail;
    this.refused = context.refused ?? false;
  }

  /** Marks this error as raised before anything was started (see {@link refused}); returns it. */
  markRefused(): this {
    this.refused = true;
    return this;
  }

  /** A plain object for `--json` output and for the readiness pipe. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { code: this.code, message: this.message };
    for (const key of ['errno', 'syscall', 'path', 'pid', 'fd', 'detail'] as const) {
      if (this[key] !== undefined) out[key] = this[key];
    }
    return out;
  }

  static fromJSON(value: Record<string, unknown>): DaemonspecError {
    const code = typeof value.code === 'string' ? (value.code as DaemonspecErrorCode) : 'EFAILED';
    const message = typeof value.message === 'string' ? value.message : 'the daemon reported a failure';
    const context: DaemonspecErrorContext = {};
    if (typeof value.errno === 'string') context.errno = value.errno;
    if (typeof value.syscall === 'string') context.syscall = value.syscall;
    if (typeof value.path === 'string') context.path = value.path;
    if (typeof value.pid === 'number') context.pid = value.pid;
    if (typeof value.fd === 'number') context.fd = value.fd;
    if (typeof value.detail === 'string') context.detail = value.detail;
    return new DaemonspecError(code, message, context);
  }
}

/** The one way to make an `EUSAGE` error: a bad option value, a malformed command line. */
export function usageError(message: string, context: DaemonspecErrorContext = {}): DaemonspecError {
  return new DaemonspecError('EUSAGE', message, context);
}

export function isDaemonspecError(value: unknown): value is DaemonspecError {
  return value instanceof DaemonspecError;
}
