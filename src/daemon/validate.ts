import { accessSync, closeSync, constants, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { childProcessModule } from '../builtins-on-use.js';
import { DaemonspecError, usageError } from '../errors.js';
import { envRecord } from '../env-record.js';
import { checkWaitMs } from '../longest-wait.js';
import { resolveCommand } from '../resolve-command.js';
import { C } from '../ffi/constants.js';
import { isFdOpen, lookupGroup, lookupUser } from '../ffi/libc.js';
import { currentOs, type Os } from '../ffi/platform.js';
import { DEFAULT_TIMEOUT_MS, DEFAULT_UMASK, type DaemonOptions } from './options.js';
import { namedFdCount, SETPRIV_PATH as SETPRIV, SH, SHELL_FD_LIMIT } from './chain.js';
import { checkPidfileSymlinks } from './protected-symlinks.js';
import { checkArg, checkText, type Arg } from './raw-bytes.js';
import { planReadiness, type ReadyOptions } from './readiness/conditions.js';
import type { StartPlan } from './start-plan.js';

/** A name /bin/sh passes on to what it execs: dash (Debian's sh) drops every other name from the environment. */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function resolveEnv(options: DaemonOptions): Record<string, string> {
  const env = envRecord();
  if (!options.clearEnv) {
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  }
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (key === '' || key.includes('=')) throw usageError(`invalid environment variable name ${JSON.stringify(key)}`);
    checkText(key, 'an environment variable name');
    if (value === undefined || value === null) {
      delete env[key];
      continue;
    }
    // One passed through unchanged (`env: { ...process.env }`) is dropped by sh as an inherited one is (docs/limits.md).
    if (!SHELL_NAME.test(key) && value !== process.env[key]) {
      throw usageError(`environment variable name ${JSON.stringify(key)} cannot be passed on: /bin/sh, which runs the chain, drops names that are not letters, digits and _ (not starting with a digit): rename it`);
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw usageError(`environment variable ${key} must be a string (or null/undefined to remove it), got ${typeof value}`);
    }
    const text = String(value);
    if (text.includes('\0')) throw usageError(`environment variable ${key} holds a NUL character, which the environment cannot carry (the value would end there): remove it`);
    env[key] = checkText(text, `environment variable ${key}`);
  }
  return env;
}

function checkCwd(cwd: string): string {
  const dir = resolve(cwd);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw new DaemonspecError('ECWD', `working directory ${dir} cannot be used (${errno}): create it or pass another --cwd`, {
      path: dir,
      errno,
    });
  }
  if (!isDir) throw new DaemonspecError('ECWD', `working directory ${dir} is not a directory: pass a directory as --cwd`, { path: dir, errno: 'ENOTDIR' });
  try {
    accessSync(dir, constants.X_OK);
  } catch {
    throw new DaemonspecError('ECWD', `working directory ${dir} is not searchable: fix its permissions or pass another --cwd`, { path: dir, errno: 'EACCES' });
  }
  return dir;
}

/**
 * Whether the program is read by what runs it: anything but an ELF binary (a `#!` script is read
 * by its interpreter, and one without `#!` by /bin/sh, which execvp falls back to).
 */
function readByItsRunner(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(4);
      return !(readSync(fd, head, 0, 4, 0) === 4 && head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])));
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * With a privilege drop the chain enters the cwd and execs the command as root, which passes any
 * permission check (setpriv keeps its capabilities until the exec), and the daemon then runs as
 * the user: a cwd it cannot enter, or a script it cannot read (`/root/x.sh`, 0700: the exec
 * succeeded and the interpreter, now the user, failed to open it while the start said ready),
 * is refused here, tested by a sh run as that user.
 */
function checkAccessAs(dir: string, command: string | Buffer, drop: readonly string[], who: string, rerun: string | null): void {
  // Only a start that drops privileges comes here. A command given as raw bytes is not tested.
  const program = typeof command === 'string' ? command : '';
  const script = program !== '' && readByItsRunner(program) ? 'script' : '';
  const test = 'cd "$1" || exit 3; [ -z "$2" ] || [ -x "$2" ] || exit 4; [ -z "$3" ] || [ -r "$2" ] || exit 5; [ -z "$4" ] || [ -r "$4" ] || exit 6';
  const result = childProcessModule().spawnSync(SETPRIV, [...drop, '--', SH, '-c', test, 'sh', dir, program, script, rerun ?? ''], { stdio: 'ignore', env: {} });
  if (result.status === 0) return;
  if (result.status === 6) {
    throw new DaemonspecError('EEXEC', `${rerun} is not readable by ${who}, as whom daemonize() runs it again: give that user r permission on it (and x on its directories), or daemonize as another user`, {
      path: rerun!,
      errno: 'EACCES',
      refused: true,
    });
  }
  if (result.status === 4 || result.status === 5) {
    const what = result.status === 4 ? 'executable' : 'readable (a script: its interpreter, or /bin/sh, reads it as that user)';
    throw new DaemonspecError('EEXEC', `${program} is not ${what} by ${who}: give that user ${result.status === 4 ? 'x' : 'r'} permission on it (and x on its directories), or run it as another user`, {
      path: program,
      errno: 'EACCES',
      refused: true,
    });
  }
  throw new DaemonspecError('ECWD', `working directory ${dir} is not searchable by ${who}: give that user x permission on every directory of the path, or pass another --cwd`, {
    path: dir,
    errno: 'EACCES',
  });
}

/**
 * Why `fds` leave the chain too few of the fds 3-9 its scripts name (chain.ts SHELL_FD_LIMIT), or
 * null: the CLI says it in its words (--keep-fd), the library in its own (keepFds).
 */
export function tooManyBelowTen(fds: readonly number[]): string | null {
  const low = new Set(fds.filter((fd) => fd >= 3 && fd < SHELL_FD_LIMIT)).size;
  const needed = namedFdCount(currentOs() === 'linux');
  const room = SHELL_FD_LIMIT - 3 - needed;
  if (low <= room) return null;
  return `${low} of them are below 10, and the start needs ${needed} of the fds 3-9 for its own pipes (/bin/sh names fds by one digit): keep at most ${room} fds below 10, or dup the others to 10 or above first`;
}

/** keepFds: open fds ≥ 3, below what posix_spawn's file actions take (macOS: OPEN_MAX, 10240), leaving the chain its fds below 10. */
export function checkKeepFds(fds: readonly number[], spawnFdLimit: number = C.SPAWN_FD_LIMIT): number[] {
  const out: number[] = [];
  for (const fd of fds) {
    if (!Number.isInteger(fd) || fd < 3) throw usageError(`keepFds: ${JSON.stringify(fd)} is not an fd number ≥ 3 (0, 1 and 2 are always set up)`);
    if (fd >= spawnFdLimit) {
      throw usageError(`keepFds: fd ${fd} is not below ${spawnFdLimit}, the highest fd posix_spawn can hand on here (OPEN_MAX): dup it to a lower number first`);
    }
    if (!isFdOpen(fd)) throw usageError(`keepFds: fd ${fd} is not open in this process`);
    if (!out.includes(fd)) out.push(fd);
  }
  const crowded = tooManyBelowTen(out);
  if (crowded !== null) throw usageError(`keepFds: ${crowded}`);
  return out;
}

/**
 * Why --user/--group cannot work on `os`, or null. The drop goes through util-linux setpriv,
 * which macOS does not have; refusing says so instead of advising an install that cannot help.
 */
export function privilegeDropRefusal(os: Os): string | null {
  if (os !== 'darwin') return null;
  return '--user/--group is not supported on macOS (daemonspec drops privileges with util-linux setpriv, which macOS lacks): start daemonspec as that user instead, e.g. sudo -u USER daemonspec run ...';
}

/** The setpriv arguments of a privilege drop and the uid the daemon then runs as, or null for none. */
function privilegeDrop(options: DaemonOptions): { args: string[]; uid: number } | null {
  if (options.user === undefined && options.group === undefined) return null;
  const refusal = privilegeDropRefusal(currentOs());
  if (refusal) throw new DaemonspecError('EUNSUPPORTED', refusal);
  if (process.getuid?.() !== 0) {
    throw new DaemonspecError('EUSER', 'changing user or group needs root: run as root, or drop --user/--group');
  }
  try {
    accessSync(SETPRIV, constants.X_OK);
  } catch {
    throw new DaemonspecError('EUNSUPPORTED', `${SETPRIV} is missing: install util-linux to use --user/--group`);
  }
  const user = options.user === undefined ? null : lookupUser(options.user);
  if (options.user !== undefined && user === null) {
    throw new DaemonspecError('EUSER', `unknown user ${options.user}: create it or pass an existing --user`);
  }
  const group = options.group === undefined ? null : lookupGroup(options.group);
  if (options.group !== undefined && group === null) {
    throw new DaemonspecError('EUSER', `unknown group ${options.group}: create it or pass an existing --group`);
  }
  // setpriv (util-linux, checked with strace) does NOT call setgid → initgroups → setuid in that
  // order: it sets PR_SET_KEEPCAPS, calls setresuid first, re-raises its effective capabilities
  // (CAP_SETGID survives the uid change thanks to KEEPCAPS), then setresgid and setgroups (the
  // user's groups for --init-groups, none for --clear-groups), then execs; the exec as a non-root
  // uid clears every capability. The final credentials are those of setgid → initgroups → setuid:
  // all three uids and gids dropped and the supplementary groups set (dnscap#208: root's group 0
  // does not survive), and no capability is left.
  if (user) return { args: ['--regid', String(group?.gid ?? user.gid), '--init-groups', '--reuid', String(user.uid)], uid: user.uid };
  return { args: ['--regid', String(group!.gid), '--clear-groups'], uid: process.geteuid!() };
}

/**
 * A command given as bytes that are not UTF-8 (a Buffer): no PATH search (give a path with a
 * slash), resolved against the cwd as bytes, checked with the fs calls that take Buffer paths.
 */
function resolveRawCommand(command: Buffer): Buffer {
  if (!command.includes(0x2f /* / */)) throw usageError(`a command given as raw bytes is not searched in PATH: give its path (with a /), got ${command.toString('utf8')}`);
  const path = command[0] === 0x2f ? command : Buffer.concat([Buffer.from(`${process.cwd()}/`), command]);
  try {
    if (statSync(path).isFile()) {
      accessSync(path, constants.X_OK);
      return path;
    }
  } catch {
    // missing or not executable: below
  }
  throw new DaemonspecError('EEXEC', `command not found or not executable: ${path.toString('utf8')} (its name is not UTF-8; shown with U+FFFD)`, { errno: 'ENOENT' });
}

/** Paths, names and values of the options, refused when they hold what cannot be passed on as bytes. */
function checkOptionTexts(options: DaemonOptions): void {
  for (const key of ['pidfile', 'stdout', 'stderr', 'cwd'] as const) {
    const value = options[key] as unknown;
    if (value !== undefined && typeof value !== 'string') throw usageError(`the ${key} path must be a string, got ${typeof value}`);
    if (value === '') throw usageError(`the ${key} path is empty: give a path, or leave ${key} out for its default`);
    if (typeof value === 'string') checkText(value, `the ${key} path`);
  }
  for (const key of ['user', 'group'] as const) {
    if (options[key] === '') throw usageError(`the ${key} is empty: give a name or a number, or leave ${key} out`);
  }
}

/** Whether two absolute paths name one file: the same once normalised, or the same name in the same real directory (a symlinked one). */
function samePath(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  if (basename(a) !== basename(b)) return false;
  try {
    return realpathSync(dirname(a)) === realpathSync(dirname(b));
  } catch {
    return false;
  }
}

/** Checks every option and resolves paths against this process's cwd. Throws DaemonspecError; spawns nothing. */
/**
 * `rerun`: the script daemonize() runs again in the daemon, which the daemon's user must read (its
 * imports are not followed).
 */
export function planStart(commandGiven: Arg, argsGiven: readonly Arg[], options: DaemonOptions & ReadyOptions, rerun: string | null = null): StartPlan {
  const command = checkArg(commandGiven, 'the command');
  if (!Array.isArray(argsGiven)) throw usageError(`the arguments must be an array of strings or Buffers, got ${typeof argsGiven}: pass ['300'], not '300'`);
  const args = argsGiven.map((arg, i) => checkArg(arg, `argument ${i + 1}`));
  checkOptionTexts(options);
  if (options.chroot !== undefined) {
    throw new DaemonspecError('EUNSUPPORTED', 'chroot is not supported yet: run the command through chroot(8) instead');
  }
  const umask = options.umask ?? DEFAULT_UMASK;
  if (!Number.isInteger(umask) || umask < 0 || umask > 0o777) throw usageError(`umask must be a number from 0 to 0o777, got ${umask}`);
  const timeoutMs = checkWaitMs(options.timeout ?? DEFAULT_TIMEOUT_MS, 'timeout');
  const ready = planReadiness(options, timeoutMs);
  const env = resolveEnv(options);
  const cwd = checkCwd(options.cwd ?? '/');
  const path = typeof command === 'string' ? resolveCommand(command, env.PATH) : resolveRawCommand(command);
  const keepFds = checkKeepFds(options.keepFds ?? []);
  const drop = privilegeDrop(options);
  if (drop) checkAccessAs(cwd, path, drop.args, options.user !== undefined ? `user ${options.user}` : `group ${options.group}`, rerun);
  const absolute = (p: string | undefined): string | null => (p === undefined ? null : isAbsolute(p) ? p : resolve(p));
  const pidfile = absolute(options.pidfile);
  if (pidfile !== null) checkPidfileSymlinks(pidfile);
  for (const log of ['stdout', 'stderr'] as const) {
    const path = absolute(options[log]);
    if (pidfile !== null && path !== null && samePath(path, pidfile)) {
      throw usageError(`the ${log} log and the pidfile are one path (${pidfile}): the pidfile replaces the file at its path, so the log would go to a deleted file; give the log another path`);
    }
  }
  return {
    path,
    argv: [command, ...args],
    cwd,
    umask,
    stdout: absolute(options.stdout) ?? '/dev/null',
    stderr: absolute(options.stderr) ?? '/dev/null',
    pidfile,
    keepFds,
    env,
    timeoutMs,
    notify: options.notify ?? false,
    ready,
    privilegeDrop: drop?.args ?? null,
    uid: drop?.uid ?? process.geteuid?.() ?? 0,
  };
}
