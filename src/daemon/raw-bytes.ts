import { DaemonspecError } from '../errors.js';
import { commandLineBytes } from '../inspect/processes.js';

/*
 * Bytes that are not UTF-8 in what the daemonizer passes on (issue 13.4). Node decodes argv and
 * paths as UTF-8 and turns bytes it cannot decode into U+FFFD; koffi encodes a JS string as
 * UTF-8 and turns a lone surrogate into U+FFFD. Neither may happen silently: an argument given as
 * a Buffer (Uint8Array) reaches the daemon byte for byte, and a string that has no bytes to give
 * (a lone surrogate: what a decoding that could not fail leaves) is refused, naming it.
 */

/** An argument or a command path: text, or raw bytes (a Buffer or any Uint8Array). */
export type Arg = string | Uint8Array;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** String.prototype.isWellFormed (ES2024, in every Node this package supports; TypeScript's ES2023 lib lacks it). */
type WellFormedCheck = string & { isWellFormed(): boolean };

/**
 * Whether the string has a lone surrogate, which has no UTF-8 bytes (koffi would send U+FFFD).
 * isWellFormed, not /\p{Surrogate}/u: that regular expression took about 0.7 ms of every start
 * over the environment's strings (issue 14.1).
 */
function hasLoneSurrogate(value: string): boolean {
  return !(value as WellFormedCheck).isWellFormed();
}

/** Refuses a string that cannot be passed on as bytes unchanged; `what` names it in the message. */
export function checkText(value: string, what: string): string {
  if (hasLoneSurrogate(value)) {
    throw new DaemonspecError(
      'EUSAGE',
      `${what} (${JSON.stringify(value)}) holds a lone UTF-16 surrogate, which has no bytes to pass on (it would become U+FFFD): ` +
        'give raw bytes as a Buffer, or fix the string',
    );
  }
  return value;
}

/**
 * An argument as it will be passed: a checked string, or the bytes of a Uint8Array (a Buffer
 * that is valid UTF-8 becomes its string, so messages and /proc show it as text). A NUL byte
 * cannot be in an argument at all: refused.
 */
export function checkArg(value: Arg, what: string): string | Buffer {
  if (typeof value === 'string') {
    if (value.includes('\0')) throw new DaemonspecError('EUSAGE', `${what} holds a NUL character, which cannot be in an argument: remove it`);
    return checkText(value, what);
  }
  if (!(value instanceof Uint8Array)) throw new DaemonspecError('EUSAGE', `${what} must be a string or a Buffer, got ${typeof value}`);
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (bytes.includes(0)) throw new DaemonspecError('EUSAGE', `${what} holds a NUL byte, which cannot be in an argument: remove it`);
  try {
    return UTF8.decode(bytes);
  } catch {
    return Buffer.from(bytes);
  }
}

/** For messages: the text of an argument (bytes that are not UTF-8 shown as U+FFFD, only here). */
export function displayArg(value: string | Buffer): string {
  return typeof value === 'string' ? value : value.toString('utf8');
}

/** This process's argv as the kernel holds it (through the inspector: Linux /proc/self/cmdline), or null where it cannot be read (macOS). */
export function rawCommandLine(): Buffer[] | null {
  return commandLineBytes(process.pid);
}

/**
 * Whether Node's UTF-8 decoding of the command line may have changed one of these strings. Valid
 * UTF-8 decodes to the same bytes and invalid bytes decode to U+FFFD, so only a string with a
 * U+FFFD needs the kernel's bytes (issue 14.1: reading them costs a start about 0.5 ms).
 */
export function mayDifferFromBytes(decoded: readonly string[]): boolean {
  return decoded.some((arg) => arg.includes('\uFFFD'));
}

/**
 * `decoded` (the last strings of process.argv or execArgv) with each string that Node changed in
 * decoding replaced by the bytes the kernel holds: the same arguments, byte for byte. Where the
 * command line cannot be read, the strings as they are.
 */
export function rawTail(decoded: readonly string[]): (string | Buffer)[] {
  if (!mayDifferFromBytes(decoded)) return [...decoded];
  const raw = rawCommandLine();
  if (raw === null || raw.length < decoded.length) return [...decoded];
  const bytes = raw.slice(raw.length - decoded.length);
  return decoded.map((arg, i) => (bytes[i]!.equals(Buffer.from(arg)) ? arg : Buffer.from(bytes[i]!)));
}
