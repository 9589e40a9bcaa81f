import { DaemonspecError, usageError } from '../errors.js';
import { signalNumber } from '../ffi/constants.js';
import { type CallerSpec, CWD_KINDS, EXTRA_FD_KINDS, type ExtraFd, NEUTRAL_CALLER, STDIO_KINDS, TERMINAL_KINDS, validateCaller } from './caller-spec.js';

/**
 * The caller one property at a time, as `check` flags (`--caller-stdio 1=closed`,
 * `--caller-ignore SIGCHLD`): what fuzz prints as the plain-check replay, and what a user types.
 * Parsers here turn flag text into CallerSpec parts; `callerFlags` goes the other way.
 */
export type CallerParts = Partial<CallerSpec>;

function notA(flag: string, text: string, want: string): DaemonspecError {
  return usageError(`${flag}: ${JSON.stringify(text)} is not ${want}`);
}

/** `0=closed,1=pipe` (repeatable): fds 0-2 of the caller. */
export function parseStdio(values: readonly string[], flag: string): CallerSpec['stdio'] {
  const stdio: CallerSpec['stdio'] = [...NEUTRAL_CALLER.stdio];
  for (const item of values.flatMap((v) => v.split(','))) {
    const match = /^([012])=(\w+)$/.exec(item.trim());
    if (!match || !(STDIO_KINDS as readonly string[]).includes(match[2]!)) throw notA(flag, item, `FD=KIND with FD 0, 1 or 2 and KIND one of ${STDIO_KINDS.join(', ')} (e.g. 1=closed)`);
    stdio[Number(match[1])] = match[2] as CallerSpec['stdio'][number];
  }
  return stdio;
}

/** `1024=pipe`, `57=file:cloexec` (repeatable): extra fds of the caller. */
export function parseExtraFds(values: readonly string[], flag: string): ExtraFd[] {
  return values.flatMap((v) => v.split(',')).map((item) => {
    const match = /^(\d+)=(\w+)(:cloexec)?$/.exec(item.trim());
    if (!match || !(EXTRA_FD_KINDS as readonly string[]).includes(match[2]!)) {
      throw notA(flag, item, `N=KIND[:cloexec] with KIND one of ${EXTRA_FD_KINDS.join(', ')} (e.g. 1024=pipe)`);
    }
    return { fd: Number(match[1]), kind: match[2] as ExtraFd['kind'], cloexec: match[3] !== undefined };
  });
}

/** `SIGCHLD,HUP,40`: signal names or numbers. */
export function parseSignals(value: string, flag: string): number[] {
  return value.split(',').filter(Boolean).map((name) => {
    const n = /^\d+$/.test(name) ? Number(name) : signalNumber(name.trim());
    if (n === undefined) throw notA(flag, name, 'a signal name or number (SIGCHLD, HUP, 40)');
    return n;
  });
}

export function parseKind<K extends string>(kinds: readonly K[]): (value: string, flag: string) => K {
  return (value, flag) => {
    if (!(kinds as readonly string[]).includes(value)) throw notA(flag, value, `one of ${kinds.join(', ')}`);
    return value as K;
  };
}

export const parseCwdKind = parseKind(CWD_KINDS);
export const parseTerminal = parseKind(TERMINAL_KINDS);

/** One caller from `--caller-json` and the single-property flags (the flags win); undefined when none was given. */
export function mergeCaller(json: CallerSpec | undefined, parts: CallerParts): CallerSpec | undefined {
  const given = Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== undefined));
  if (json === undefined && Object.keys(given).length === 0) return undefined;
  try {
    return validateCaller({ ...(json ?? {}), ...given });
  } catch (error) {
    // A field set by a --caller-* flag is not the JSON's fault: name the caller as a whole.
    if (error instanceof DaemonspecError && Object.keys(given).length > 0) {
      throw new DaemonspecError('EUSAGE', error.message.replace(/^--caller-json: /, 'the caller (--caller-json and --caller-* flags): '));
    }
    throw error;
  }
}

/** The `check` flags that plant `spec` (only what differs from the plain caller, and the umask always). */
export function callerFlags(spec: CallerSpec): string[] {
  const flags: string[] = [];
  const stdio = spec.stdio.map((kind, n) => (kind === 'tty' ? null : `${n}=${kind}`)).filter((s): s is string => s !== null);
  if (stdio.length > 0) flags.push('--caller-stdio', stdio.join(','));
  if (spec.fds.length > 0) flags.push('--caller-fds', spec.fds.map((f) => `${f.fd}=${f.kind}${f.cloexec ? ':cloexec' : ''}`).join(','));
  if (spec.blocked.length > 0) flags.push('--caller-block', spec.blocked.join(','));
  if (spec.ignored.length > 0) flags.push('--caller-ignore', spec.ignored.join(','));
  flags.push('--caller-umask', spec.umask.toString(8).padStart(3, '0'));
  if (spec.cwd !== 'here') flags.push('--caller-cwd', spec.cwd);
  if (spec.envBytes > 0) flags.push('--caller-env-bytes', String(spec.envBytes));
  if (spec.nofile !== null) flags.push('--caller-nofile', String(spec.nofile));
  if (spec.terminal !== 'foreground') flags.push('--caller-terminal', spec.terminal);
  if (spec.sessionLeader) flags.push('--caller-session-leader');
  if (!spec.subreaper) flags.push('--caller-no-subreaper');
  return flags;
}
