import { readFileSync } from 'node:fs';
import { DaemonspecError, usageError } from '../errors.js';
import { signalName } from '../ffi/constants.js';

/**
 * A caller described by hand or drawn by `daemonspec fuzz`: the state of the process that runs
 * the command. `check --caller-json FILE` plants exactly this caller, so a counterexample that
 * fuzz shrank is replayed as a plain check. Every field has a neutral value (NEUTRAL_CALLER):
 * the caller a login shell gives, which is what fuzz shrinks towards.
 */
export const STDIO_KINDS = ['tty', 'closed', 'devnull', 'file', 'pipe'] as const;
export type StdioKind = (typeof STDIO_KINDS)[number];
export const EXTRA_FD_KINDS = ['pipe', 'file', 'socket', 'eventfd', 'tty'] as const;
export type ExtraFdKind = (typeof EXTRA_FD_KINDS)[number];
export const CWD_KINDS = ['here', 'deep', 'deleted', 'unreadable'] as const;
export type CwdKind = (typeof CWD_KINDS)[number];
export const TERMINAL_KINDS = ['foreground', 'background', 'none'] as const;
export type TerminalKind = (typeof TERMINAL_KINDS)[number];

export interface ExtraFd {
  /** The number it has in the caller: 3 up to the caller's soft RLIMIT_NOFILE (or above it, as a caller can hold). */
  fd: number;
  kind: ExtraFdKind;
  /** FD_CLOEXEC in the caller: closed by the exec of the command, so it never reaches it. */
  cloexec: boolean;
}

export interface CallerSpec {
  /** What fds 0, 1 and 2 are in the caller: the terminal, closed, /dev/null, a file or a pipe. */
  stdio: [StdioKind, StdioKind, StdioKind];
  /** Open fds above 2 (distinct numbers). */
  fds: ExtraFd[];
  /** Signals blocked in the caller (numbers). */
  blocked: number[];
  /** Signals set to SIG_IGN in the caller (numbers). */
  ignored: number[];
  umask: number;
  /** `here`: where check starts the command (the user's directory, or a trap directory); a deep path; a deleted directory; a directory without read permission. */
  cwd: CwdKind;
  /** Bytes of extra environment (one variable), 0 for none. */
  envBytes: number;
  /** The soft RLIMIT_NOFILE; null leaves the checker's. */
  nofile: number | null;
  /** The command in the terminal's foreground process group, in a background one, or with no controlling terminal at all. */
  terminal: TerminalKind;
  /** The command itself a session leader (started through setsid), without a controlling terminal. */
  sessionLeader: boolean;
  /**
   * A subreaper above the caller (the checker, PR_SET_CHILD_SUBREAPER): the daemon's new parent
   * is not PID 1, as under systemd --user or docker --init. false: none, orphans go to PID 1
   * (a Linux check then runs as PID 1 of a fresh PID namespace: isolation/subreaper.ts).
   * Neutral: true on Linux; false elsewhere (macOS has no subreapers: launchd adopts).
   */
  subreaper: boolean;
}

export const NEUTRAL_CALLER: CallerSpec = {
  stdio: ['tty', 'tty', 'tty'],
  fds: [],
  blocked: [],
  ignored: [],
  umask: 0o022,
  cwd: 'here',
  envBytes: 0,
  nofile: null,
  terminal: 'foreground',
  sessionLeader: false,
  subreaper: process.platform === 'linux',
};

/** Signals a caller can block or ignore: every one but SIGKILL, SIGSTOP and glibc's two internal real-time ones. */
export function catchableSignals(): number[] {
  const all = Array.from({ length: 64 }, (_, i) => i + 1);
  return all.filter((n) => n !== 9 && n !== 19 && n !== 32 && n !== 33);
}

/** A usage error about the --caller-json file. */
function callerJsonError(message: string): DaemonspecError {
  return usageError(`--caller-json: ${message}`);
}

function oneOf<T extends string>(value: unknown, kinds: readonly T[], field: string): T {
  if (typeof value === 'string' && (kinds as readonly string[]).includes(value)) return value as T;
  throw callerJsonError(`${field} must be one of ${kinds.join(', ')}, not ${JSON.stringify(value)}`);
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw callerJsonError(`${field} must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}`);
}

function signals(value: unknown, field: string): number[] {
  if (!Array.isArray(value)) throw callerJsonError(`${field} must be an array of signal numbers`);
  const allowed = catchableSignals();
  return value.map((n, i) => {
    const signal = integer(n, `${field}[${i}]`, 1, 64);
    if (!allowed.includes(signal)) throw callerJsonError(`${field}[${i}]: ${signalName(signal)} cannot be blocked or ignored here`);
    return signal;
  });
}

function extraFds(value: unknown): ExtraFd[] {
  if (!Array.isArray(value)) throw callerJsonError('fds must be an array of { fd, kind, cloexec }');
  const seen = new Set<number>();
  return value.map((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null) throw callerJsonError(`fds[${i}] must be an object { fd, kind, cloexec }`);
    const e = entry as Record<string, unknown>;
    const fd = integer(e.fd, `fds[${i}].fd`, 3, 1 << 20);
    if (seen.has(fd)) throw callerJsonError(`fds[${i}].fd: ${fd} is given twice`);
    seen.add(fd);
    if (typeof e.cloexec !== 'boolean') throw callerJsonError(`fds[${i}].cloexec must be true or false`);
    return { fd, kind: oneOf(e.kind, EXTRA_FD_KINDS, `fds[${i}].kind`), cloexec: e.cloexec };
  });
}

/** Validates a caller (from JSON): missing fields take the neutral value; one clear message per mistake. */
export function validateCaller(value: unknown): CallerSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw callerJsonError('expected a JSON object (a fuzz report\'s counterexample.caller)');
  const v = { ...NEUTRAL_CALLER, ...(value as Partial<CallerSpec>) } as Record<string, unknown>;
  for (const key of Object.keys(value)) if (!(key in NEUTRAL_CALLER)) throw callerJsonError(`unknown field "${key}" (known: ${Object.keys(NEUTRAL_CALLER).join(', ')})`);
  if (!Array.isArray(v.stdio) || v.stdio.length !== 3) throw callerJsonError('stdio must be an array of three kinds, for fds 0, 1 and 2');
  const stdio = v.stdio.map((k: unknown, i: number) => oneOf(k, STDIO_KINDS, `stdio[${i}]`)) as CallerSpec['stdio'];
  const fds = extraFds(v.fds);
  if (typeof v.sessionLeader !== 'boolean') throw callerJsonError('sessionLeader must be true or false');
  if (typeof v.subreaper !== 'boolean') throw callerJsonError('subreaper must be true or false');
  return {
    stdio,
    fds,
    blocked: signals(v.blocked, 'blocked'),
    ignored: signals(v.ignored, 'ignored'),
    umask: integer(v.umask, 'umask', 0, 0o777),
    cwd: oneOf(v.cwd, CWD_KINDS, 'cwd'),
    envBytes: integer(v.envBytes, 'envBytes', 0, 1 << 20),
    nofile: v.nofile === null ? null : integer(v.nofile, 'nofile', 16, 1 << 20),
    terminal: oneOf(v.terminal, TERMINAL_KINDS, 'terminal'),
    sessionLeader: v.sessionLeader,
    subreaper: v.subreaper,
  };
}

/** Reads and validates a caller (`check --caller-json`): a file, or the JSON itself when it starts with `{`. */
export function readCallerFile(path: string): CallerSpec {
  let text: string;
  if (path.trimStart().startsWith('{')) {
    try {
      return validateCaller(JSON.parse(path));
    } catch (error) {
      if (error instanceof DaemonspecError) throw error;
      throw callerJsonError(`the caller given inline is not valid JSON: ${(error as Error).message}`);
    }
  }
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw callerJsonError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}); give the path of a JSON caller`);
  }
  try {
    return validateCaller(JSON.parse(text));
  } catch (error) {
    if (error instanceof DaemonspecError) throw error;
    throw callerJsonError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}
