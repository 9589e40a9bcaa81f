import { readdirSync } from 'node:fs';
import { C } from './constants.js';
import { errnoName, errnoValue, syscallError } from './errno.js';
import { isFdOpen } from './libc.js';
import { cFunc, optionalCFunc } from './library.js';
import { currentOs } from './platform.js';

/*
 * posix_spawn through koffi: the only way daemonspec creates processes.
 *
 * fork() is not an option from Node: V8 maps its heap MADV_DONTFORK, so a forked child has
 * no heap and dies with SIGSEGV as soon as control returns to JavaScript
 * (spec/posix/fork-from-node.test.ts proves it). posix_spawn forks and execs inside the
 * C library, without running JavaScript in between, and applies the session, signal and
 * file-descriptor set-up we need on the way.
 */

const c_posix_spawn = cFunc(
  'int posix_spawn(_Out_ int *pid, const char *path, void *actions, void *attr, const char **argv, const char **envp)',
);
const c_fa_init = cFunc('int posix_spawn_file_actions_init(void *actions)');
const c_fa_destroy = cFunc('int posix_spawn_file_actions_destroy(void *actions)');
const c_fa_addopen = cFunc(
  'int posix_spawn_file_actions_addopen(void *actions, int fd, const char *path, int flags, uint32_t mode)',
);
const c_fa_adddup2 = cFunc('int posix_spawn_file_actions_adddup2(void *actions, int fd, int newfd)');
const c_fa_addclose = cFunc('int posix_spawn_file_actions_addclose(void *actions, int fd)');
const c_fa_addclosefrom = currentOs() === 'linux' ? optionalCFunc('int posix_spawn_file_actions_addclosefrom_np(void *actions, int from)') : null;
const c_fa_addchdir = optionalCFunc('int posix_spawn_file_actions_addchdir_np(void *actions, const char *path)');
const c_fa_addinherit = currentOs() === 'darwin' ? optionalCFunc('int posix_spawn_file_actions_addinherit_np(void *actions, int fd)') : null;
const c_attr_init = cFunc('int posix_spawnattr_init(void *attr)');
const c_attr_destroy = cFunc('int posix_spawnattr_destroy(void *attr)');
const c_attr_setflags = cFunc('int posix_spawnattr_setflags(void *attr, short flags)');
const c_attr_setsigmask = cFunc('int posix_spawnattr_setsigmask(void *attr, const void *set)');
const c_attr_setsigdefault = cFunc('int posix_spawnattr_setsigdefault(void *attr, const void *set)');
const c_attr_setpgroup = cFunc('int posix_spawnattr_setpgroup(void *attr, int pgroup)');

export type FileAction =
  /**
   * open(path, flags, mode) at exactly `fd`. O_CLOEXEC in `flags` is lost unless `fd` is the
   * lowest free one: glibc opens the file and dup2()s it onto `fd`, and dup2 clears the flag.
   */
  | { op: 'open'; fd: number; path: string; flags: number; mode?: number }
  /** dup2(from, to): `to` is inherited (dup2 clears FD_CLOEXEC). */
  | { op: 'dup2'; from: number; to: number }
  | { op: 'close'; fd: number };

export interface SpawnRequest {
  /** Absolute path of the program (no PATH search: resolve it first): text, or raw bytes. */
  path: string | Buffer;
  /** Arguments: text (passed as UTF-8), or raw bytes (a Buffer, passed unchanged; no NUL). */
  argv: readonly (string | Buffer)[];
  /** The complete environment of the new process. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Applied in order. glibc and musl apply them after setsid; xnu before it (kern_exec.c:
   * exec_handle_file_actions() precedes setsid_internal()), so an open tty never becomes the
   * controlling one on macOS: see src/check/ctty.ts for the way that works on both.
   */
  fileActions?: readonly FileAction[];
  /** Working directory of the new process (posix_spawn_file_actions_addchdir_np). */
  cwd?: string;
  /** New session: the child is a session and process group leader without a controlling terminal. */
  setsid?: boolean;
  /** Put the child in this process group (0: a new group led by the child). */
  pgroup?: number;
  /** Signals blocked in the child; an empty list means an empty mask. Undefined: inherit. */
  blockedSignals?: readonly number[];
  /** Signals reset to SIG_DFL in the child ('all' includes the real-time ones). Undefined: inherit. */
  defaultSignals?: readonly number[] | 'all';
  /**
   * Close every fd of this process in the child except 0-2 as set up and the targets of the
   * file actions. Time is proportional to the open fds, never to RLIMIT_NOFILE.
   */
  closeOtherFds?: boolean;
  /** With closeOtherFds: these fds stay open at the same number. */
  keepFds?: readonly number[];
}

function sigset(signals: readonly number[] | 'all'): Buffer {
  // Built bit by bit rather than with sigfillset(): glibc's sigfillset leaves out its two
  // internal signals (32, 33), and posix_spawn then sets them to SIG_IGN in the child, a
  // disposition that survives exec. Setting every bit resets those too.
  const set = Buffer.alloc(C.SIGSET_BYTES);
  const list = signals === 'all' ? Array.from({ length: C.NSIG - 1 }, (_, i) => i + 1) : signals;
  for (const signal of list) {
    const bit = signal - 1;
    if (bit < 0 || bit >= C.SIGSET_BYTES * 8) continue;
    set[bit >> 3]! |= 1 << (bit & 7);
  }
  return set;
}

/** The fds open in this process, from the kernel's own list: never a loop to RLIMIT_NOFILE. */
export function openFds(): number[] {
  const dir = currentOs() === 'linux' ? '/proc/self/fd' : '/dev/fd';
  return readdirSync(dir)
    .map(Number)
    .filter((fd) => Number.isInteger(fd));
}

/** A C string for koffi: a JS string (koffi encodes it as UTF-8), or raw bytes with their NUL terminator. */
function cString(value: string | Buffer): string | Buffer {
  return typeof value === 'string' ? value : Buffer.concat([value, Buffer.from([0])]);
}

function check(result: number, call: string, path?: string): void {
  if (result !== 0) throw syscallError(call, result, path === undefined ? {} : { path });
}

/** Session, process group and signal attributes; returns the POSIX_SPAWN_* flags they need. */
function setAttributes(attr: Buffer, request: SpawnRequest): number {
  let flags = 0;
  if (request.setsid) flags |= C.POSIX_SPAWN_SETSID;
  if (request.pgroup !== undefined) {
    flags |= C.POSIX_SPAWN_SETPGROUP;
    check(c_attr_setpgroup(attr, request.pgroup) as number, 'posix_spawnattr_setpgroup');
  }
  if (request.blockedSignals !== undefined) {
    flags |= C.POSIX_SPAWN_SETSIGMASK;
    check(c_attr_setsigmask(attr, sigset(request.blockedSignals)) as number, 'posix_spawnattr_setsigmask');
  }
  if (request.defaultSignals !== undefined) {
    flags |= C.POSIX_SPAWN_SETSIGDEF;
    check(c_attr_setsigdefault(attr, sigset(request.defaultSignals)) as number, 'posix_spawnattr_setsigdefault');
  }
  return flags;
}

/** Adds the request's file actions in order; returns the fds they leave open in the child (0-2 included). */
function addFileActions(actions: Buffer, list: readonly FileAction[]): Set<number> {
  const targets = new Set<number>([0, 1, 2]);
  for (const action of list) {
    if (action.op === 'open') {
      check(c_fa_addopen(actions, action.fd, action.path, action.flags, action.mode ?? 0o644) as number, 'posix_spawn_file_actions_addopen', action.path);
      targets.add(action.fd);
    } else if (action.op === 'dup2') {
      check(c_fa_adddup2(actions, action.from, action.to) as number, 'posix_spawn_file_actions_adddup2');
      targets.add(action.to);
    } else {
      check(c_fa_addclose(actions, action.fd) as number, 'posix_spawn_file_actions_addclose');
      targets.delete(action.fd);
    }
  }
  return targets;
}

function addClose(actions: Buffer, fd: number): void {
  check(c_fa_addclose(actions, fd) as number, 'posix_spawn_file_actions_addclose');
}

/**
 * Closes in the child every fd of this process but `targets` and `keepFds`; returns the spawn flags
 * it needs (POSIX_SPAWN_CLOEXEC_DEFAULT on macOS, else none).
 */
function closeOtherFds(actions: Buffer, targets: ReadonlySet<number>, keepFds: readonly number[]): number {
  const keep = new Set([...targets, ...keepFds]);
  const addinherit = c_fa_addinherit?.() ?? null;
  if (C.POSIX_SPAWN_CLOEXEC_DEFAULT !== 0 && addinherit) {
    // macOS: everything not named is closed at exec; name what stays.
    for (const fd of keep) check(addinherit(actions, fd) as number, 'posix_spawn_file_actions_addinherit_np');
    return C.POSIX_SPAWN_CLOEXEC_DEFAULT;
  }
  // One action closes everything above the highest fd we keep (close_range in the child,
  // glibc ≥ 2.34); below it, only the open fds we do not keep are closed one by one. Without
  // closefrom every open fd gets its own action: still proportional to the open fds.
  const addclosefrom = c_fa_addclosefrom?.() ?? null;
  if (addclosefrom) {
    const first = Math.max(...keep) + 1;
    // Below a few dozen, probing each number is cheaper than reading /proc/self/fd; above, a
    // high kept fd (19990) would cost one koffi call per number, so list the open fds instead.
    const below = first <= 64 ? Array.from({ length: Math.max(0, first - 3) }, (_, i) => i + 3).filter(isFdOpen) : openFds().filter((fd) => fd >= 3 && fd < first);
    for (const fd of below) if (!keep.has(fd)) addClose(actions, fd);
    check(addclosefrom(actions, first) as number, 'posix_spawn_file_actions_addclosefrom_np');
  } else {
    for (const fd of openFds()) if (!keep.has(fd)) addClose(actions, fd);
  }
  // Kept fds may be FD_CLOEXEC in this process; dup2 onto itself clears the flag in the child.
  for (const fd of keepFds) {
    if (!targets.has(fd)) check(c_fa_adddup2(actions, fd, fd) as number, 'posix_spawn_file_actions_adddup2');
  }
  return 0;
}

function addChdir(actions: Buffer, cwd: string): void {
  const addchdir = c_fa_addchdir();
  if (!addchdir) {
    throw syscallError('posix_spawn_file_actions_addchdir_np', errnoValue('ENOSYS'), {
      code: 'EUNSUPPORTED',
      hint: 'this C library is too old (needs glibc 2.29, musl 1.1.24 or macOS 10.15)',
    });
  }
  check(addchdir(actions, cwd) as number, 'posix_spawn_file_actions_addchdir_np', cwd);
}

/** The fix for a failed posix_spawn, by errno name. */
const SPAWN_HINTS: Readonly<Record<string, string>> = {
  ENOENT: 'check the path',
  EACCES: 'check the execute permission',
  E2BIG: 'the arguments or environment are too large (each string at most 128 KiB on Linux, all together at most ARG_MAX): pass big data in a file',
};

/** Spawns a process and returns its pid. Errors carry the errno posix_spawn reported. */
export function spawn(request: SpawnRequest): number {
  const actions = Buffer.alloc(C.FILE_ACTIONS_BYTES);
  const attr = Buffer.alloc(C.SPAWNATTR_BYTES);
  check(c_fa_init(actions) as number, 'posix_spawn_file_actions_init');
  check(c_attr_init(attr) as number, 'posix_spawnattr_init');
  try {
    let flags = setAttributes(attr, request);
    const targets = addFileActions(actions, request.fileActions ?? []);
    if (request.closeOtherFds) flags |= closeOtherFds(actions, targets, request.keepFds ?? []);
    if (request.cwd !== undefined) addChdir(actions, request.cwd);
    if (flags !== 0) check(c_attr_setflags(attr, flags) as number, 'posix_spawnattr_setflags');

    const env = Object.entries(request.env)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([key, value]) => `${key}=${value}`);
    const pid = [0];
    const result = c_posix_spawn(pid, cString(request.path), actions, attr, [...request.argv.map(cString), null], [...env, null]) as number;
    if (result !== 0) {
      throw syscallError('posix_spawn', result, { path: request.path.toString(), code: 'EEXEC', hint: SPAWN_HINTS[errnoName(result)] ?? '' });
    }
    return pid[0]!;
  } finally {
    c_fa_destroy(actions);
    c_attr_destroy(attr);
  }
}
