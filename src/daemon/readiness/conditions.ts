import { isAbsolute, resolve } from 'node:path';
import { usageError } from '../../errors.js';

/*
 * Readiness for programs that do not report it (no sd_notify): a condition the start watches
 * after the exec, bounded by the timeout, failed by the program's death. One at most per start.
 */

/** The library's readiness options (spawnDaemon(), `daemonspec run`), named as the CLI flags. */
export interface ReadyOptions {
  /** Ready once a line the daemon writes to its stdout or stderr file (after the start) matches. */
  readyLog?: string | RegExp;
  /** Ready once `HOST:PORT` (`[::1]:8080` for IPv6) accepts a TCP connection. */
  readyTcp?: string;
  /** Ready once this file exists (one that exists before the start counts once it is replaced or modified). */
  readyFile?: string;
  /** Ready once the daemon has run this many milliseconds without exiting. */
  aliveFor?: number;
}

export type ReadyCondition =
  | { kind: 'log'; pattern: RegExp }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'file'; path: string }
  | { kind: 'alive'; ms: number };

/** A regular expression for --ready-log (`name`: the flag or option, for the message). */
export function parseReadyLog(value: string | RegExp, name = 'readyLog'): RegExp {
  if (value instanceof RegExp) return new RegExp(value.source, value.flags.replace(/[gy]/g, ''));
  if (value === '') throw usageError(`${name}: give a regular expression matching the line the daemon writes once it is ready, such as "listening on"`);
  try {
    return new RegExp(value);
  } catch (error) {
    throw usageError(`${name}: ${JSON.stringify(value)} is not a regular expression (${(error as Error).message}): escape special characters with \\`);
  }
}

/** `HOST:PORT` or `[IPV6]:PORT` for --ready-tcp. */
export function parseReadyTcp(value: string, name = 'readyTcp'): { host: string; port: number } {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(value) ?? /^([^:[\]]+):(\d+)$/.exec(value);
  const port = match === null ? NaN : Number(match[2]);
  if (match === null || !(port >= 1 && port <= 65535)) {
    throw usageError(`${name}: ${JSON.stringify(value)} is not HOST:PORT: give a host and a port from 1 to 65535, such as 127.0.0.1:8080 or [::1]:8080`);
  }
  return { host: match[1]!, port };
}

function checkAliveFor(ms: number, timeoutMs: number): number {
  if (!(ms > 0) || !Number.isFinite(ms)) throw usageError(`aliveFor must be a positive number of milliseconds, got ${ms}`);
  if (ms >= timeoutMs) {
    throw usageError(`--alive-for (${ms} ms) must be shorter than --timeout (${timeoutMs} ms), which bounds the whole start: raise --timeout or lower --alive-for`);
  }
  return ms;
}

/** The one readiness condition the options ask for, or null; refuses two ways at once (notify included). */
export function planReadiness(options: ReadyOptions & { notify?: boolean }, timeoutMs: number): ReadyCondition | null {
  const given: ReadyCondition[] = [];
  if (options.readyLog !== undefined) given.push({ kind: 'log', pattern: parseReadyLog(options.readyLog) });
  if (options.readyTcp !== undefined) given.push({ kind: 'tcp', ...parseReadyTcp(options.readyTcp) });
  if (options.readyFile !== undefined) {
    if (options.readyFile === '') throw usageError('readyFile: give the path of the file the daemon creates once it is ready');
    given.push({ kind: 'file', path: isAbsolute(options.readyFile) ? options.readyFile : resolve(options.readyFile) });
  }
  if (options.aliveFor !== undefined) given.push({ kind: 'alive', ms: checkAliveFor(options.aliveFor, timeoutMs) });
  if (given.length + (options.notify ? 1 : 0) > 1) {
    throw usageError('give one way to tell that the daemon is ready: --notify, --ready-log, --ready-tcp, --ready-file or --alive-for');
  }
  return given[0] ?? null;
}
