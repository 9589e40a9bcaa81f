import { spawnSync } from 'node:child_process';
import { accessSync, constants, fstatSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { DaemonspecError } from '../errors.js';
import { lookupGroup, lookupUser } from '../ffi/libc.js';
import { DEFAULT_TIMEOUT_MS, DEFAULT_UMASK, type DaemonOptions } from './options.js';
import { SETPRIV_PATH as SETPRIV, SH } from './chain.js';

/** Everything a start needs, checked and resolved before anything is spawned. */
export interface StartPlan {
  /** Absolute path of the program and its argv (argv[0] included). */
  path: string;
  argv: string[];
  cwd: string;
  umask: number;
  stdout: string;
  stderr: string;
  pidfile: string | null;
  keepFds: number[];
  env: Record<string, string>;
  timeoutMs: number;
  notify: boolean;
  /** setpriv arguments for a privilege drop, or null. */
  privilegeDrop: string[] | null;
}


function usage(message: string): DaemonspecError {
  return new DaemonspecError('EUSAGE', message);
}

export function resolveEnv(options: DaemonOptions): Record<string, string> {
  const env: Record<string, string> = {};
  if (!options.clearEnv) {
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  }
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (key === '' || key.includes('=')) throw usage(`invalid environment variable name ${JSON.stringify(key)}`);
    if (value === undefined || value === null) delete env[key];
    else env[key] = String(value);
  }
  return env;
}

/** Finds a command like a shell does (a name with no slash is searched in PATH), and checks it can be executed. */
export function resolveCommand(command: string, pathVar: string | undefined): string {
  if (command === '') throw usage('no command given: put it after `--`, e.g. `daemonspec run -- /usr/bin/sleep 300`');
  const candidates = command.includes('/')
    ? [resolve(command)]
    : (pathVar ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  let seen: string | null = null;
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue;
      seen = candidate;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here, or not executable
    }
  }
  if (seen !== null) {
    throw new DaemonspecError('EEXEC', `${seen} is not executable: run \`chmod +x ${seen}\` or start it through its interpreter`, {
      path: seen,
      errno: 'EACCES',
    });
  }
  throw new DaemonspecError(
    'EEXEC',
    command.includes('/')
      ? `command not found: ${resolve(command)} does not exist or is not a file`
      : `command not found: ${command} is not in PATH; give its absolute path`,
    { path: command, errno: 'ENOENT' },
  );
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
 * With a privilege drop the chain enters the cwd as root (which passes any permission check) and
 * the daemon then runs as the user: check the user can enter it, with a `cd` run as that user.
 */
function checkCwdAs(dir: string, drop: readonly string[], who: string): void {
  const result = spawnSync(SETPRIV, [...drop, '--', SH, '-c', 'cd "$1"', 'sh', dir], { stdio: 'ignore', env: {} });
  if (result.status !== 0) {
    throw new DaemonspecError('ECWD', `working directory ${dir} is not searchable by ${who}: give that user x permission on every directory of the path, or pass another --cwd`, {
      path: dir,
      errno: 'EACCES',
    });
  }
}

function checkKeepFds(fds: readonly number[]): number[] {
  const out: number[] = [];
  for (const fd of fds) {
    if (!Number.isInteger(fd) || fd < 3) throw usage(`keepFds: ${fd} is not an fd number ≥ 3 (0, 1 and 2 are always set up)`);
    try {
      fstatSync(fd);
    } catch {
      throw usage(`keepFds: fd ${fd} is not open in this process`);
    }
    if (!out.includes(fd)) out.push(fd);
  }
  return out;
}

function privilegeDrop(options: DaemonOptions): string[] | null {
  if (options.user === undefined && options.group === undefined) return null;
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
  if (user) return ['--regid', String(group?.gid ?? user.gid), '--init-groups', '--reuid', String(user.uid)];
  return ['--regid', String(group!.gid), '--clear-groups'];
}

/** Checks every option and resolves paths against this process's cwd. Throws DaemonspecError; spawns nothing. */
export function planStart(command: string, args: readonly string[], options: DaemonOptions): StartPlan {
  if (options.chroot !== undefined) {
    throw new DaemonspecError('EUNSUPPORTED', 'chroot is not supported yet: run the command through chroot(8) instead');
  }
  const umask = options.umask ?? DEFAULT_UMASK;
  if (!Number.isInteger(umask) || umask < 0 || umask > 0o777) throw usage(`umask must be a number from 0 to 0o777, got ${umask}`);
  const timeoutMs = options.timeout ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw usage(`timeout must be a positive number of milliseconds, got ${timeoutMs}`);
  const env = resolveEnv(options);
  const cwd = checkCwd(options.cwd ?? '/');
  const path = resolveCommand(command, env.PATH);
  const keepFds = checkKeepFds(options.keepFds ?? []);
  const drop = privilegeDrop(options);
  if (drop) checkCwdAs(cwd, drop, options.user !== undefined ? `user ${options.user}` : `group ${options.group}`);
  const absolute = (p: string | undefined): string | null => (p === undefined ? null : isAbsolute(p) ? p : resolve(p));
  return {
    path,
    argv: [command, ...args],
    cwd,
    umask,
    stdout: absolute(options.stdout) ?? '/dev/null',
    stderr: absolute(options.stderr) ?? '/dev/null',
    pidfile: absolute(options.pidfile),
    keepFds,
    env,
    timeoutMs,
    notify: options.notify ?? false,
    privilegeDrop: drop,
  };
}
