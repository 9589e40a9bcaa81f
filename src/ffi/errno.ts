import { koffi } from './koffi.js';
import { once } from './once.js';
import { DaemonspecError, type DaemonspecErrorCode, type DaemonspecErrorContext } from '../errors.js';

const names = once(() => {
  const byNumber = new Map<number, string>();
  for (const [name, value] of Object.entries(koffi().os.errno as Record<string, number>)) {
    if (!byNumber.has(value)) byNumber.set(value, name);
  }
  return byNumber;
});

/** errno number → name such as `ENOENT` (falls back to `E<number>`). */
export function errnoName(errno: number): string {
  return names().get(errno) ?? `E${errno}`;
}

/** The errno number of a name, for comparisons (`errnoValue('EAGAIN')`). */
export function errnoValue(name: string): number {
  const value = (koffi().os.errno as Record<string, number>)[name];
  if (value === undefined) throw new Error(`unknown errno name ${name}`);
  return value;
}

/** Reads errno now: call this on the line right after the failed call. */
export function lastErrno(): number {
  return koffi().errno();
}

/** The fix for errors that do not depend on the call. */
export const DEFAULT_HINTS: Record<string, string> = {
  EMFILE: 'too many open files in this process: raise its limit of open files (ulimit -n, RLIMIT_NOFILE) or close fds',
  ENFILE: 'the system-wide table of open files is full: close files or raise fs.file-max',
};

/**
 * A typed error for a failed system call. `errno` may be a number (koffi's errno()) or
 * a positive error number returned directly, as the posix_spawn family does.
 */
export function syscallError(
  syscall: string,
  errno: number,
  context: Omit<DaemonspecErrorContext, 'errno' | 'syscall'> & { code?: DaemonspecErrorCode; hint?: string } = {},
): DaemonspecError {
  const name = errnoName(errno);
  const where = context.path ?? (context.pid !== undefined ? `pid ${context.pid}` : context.fd !== undefined ? `fd ${context.fd}` : '');
  const base = `${syscall}(${where}) failed: ${name}`;
  const { code = 'ESYSCALL', hint = DEFAULT_HINTS[name], ...rest } = context;
  return new DaemonspecError(code, hint ? `${base}. ${hint}` : base, { ...rest, errno: name, syscall });
}
