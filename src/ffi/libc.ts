import { koffi } from './koffi.js';
import { endianness } from 'node:os';
import { C, F_GETFD, F_GETFL, F_SETFD, FD_CLOEXEC, O, WNOHANG, WUNTRACED } from './constants.js';
import { errnoValue, lastErrno, syscallError } from './errno.js';
import { cFunc, libc, optionalCFunc } from './library.js';
import { once } from './once.js';
import { currentOs } from './platform.js';

// Raw declarations. Wrappers below turn failures into DaemonspecError with the errno name.
const c_close = cFunc('int close(int fd)');
const c_fcntl = cFunc('int fcntl(int fd, int cmd, ...)');
const c_flock = cFunc('int flock(int fd, int operation)');
const c_pipe = cFunc('int pipe(_Out_ int *fds)');
const c_read = cFunc('intptr_t read(int fd, _Out_ uint8_t *buf, size_t count)');
const c_kill = cFunc('int kill(int pid, int sig)');
const c_waitpid = cFunc('int waitpid(int pid, _Out_ int *status, int options)');
const c_getsid = cFunc('int getsid(int pid)');
const c_getpgid = cFunc('int getpgid(int pid)');
const c_setsid = cFunc('int setsid()');
const c_setpgid = cFunc('int setpgid(int pid, int pgid)');
const c_getpid = cFunc('int getpid()');
const c_fork = cFunc('int fork()');
const c_open = cFunc('int open(const char *path, int flags, ...)');
const c_ioctl = cFunc('int ioctl(int fd, unsigned long request, ...)');
const c_prctl = currentOs() === 'linux' ? cFunc('int prctl(int option, ...)') : null;
const c_pipe2 = currentOs() === 'linux' ? optionalCFunc('int pipe2(_Out_ int *fds, int flags)') : null;
// struct rlimit is two rlim_t: an unsigned long on Linux (32 bits on a 32-bit one), 64 bits on macOS.
const c_getrlimit = cFunc(currentOs() === 'darwin' ? 'int getrlimit(int resource, _Out_ uint64_t *limits)' : 'int getrlimit(int resource, _Out_ unsigned long *limits)');
const c_close_range = optionalCFunc('int close_range(unsigned int first, unsigned int last, int flags)');

const Passwd = once(() =>
  koffi().struct({
    // The first four members have the same layout on glibc, musl and macOS; nothing else is read.
    pw_name: 'const char *',
    pw_passwd: 'const char *',
    pw_uid: 'uint32_t',
    pw_gid: 'uint32_t',
  }),
);
const Group = once(() =>
  koffi().struct({
    gr_name: 'const char *',
    gr_passwd: 'const char *',
    gr_gid: 'uint32_t',
  }),
);
const c_getpwnam = cFunc(() => libc().func('getpwnam', koffi().pointer(Passwd()), ['const char *']));
const c_getpwuid = cFunc(() => libc().func('getpwuid', koffi().pointer(Passwd()), ['uint32_t']));
const c_getgrnam = cFunc(() => libc().func('getgrnam', koffi().pointer(Group()), ['const char *']));
const c_getgrgid = cFunc(() => libc().func('getgrgid', koffi().pointer(Group()), ['uint32_t']));
// gid_t is 32 bits on Linux and macOS (macOS declares int *groups: the same bytes).
const c_getgrouplist = cFunc('int getgrouplist(const char *user, uint32_t group, uint8_t *groups, _Inout_ int *ngroups)');

export function close(fd: number): void {
  if (c_close(fd) !== 0) throw syscallError('close', lastErrno(), { fd });
}

/** Closes without complaint: for cleanup paths where the fd may already be gone. */
export function closeQuietly(fd: number | undefined): void {
  if (fd !== undefined && fd >= 0) c_close(fd);
}

/**
 * A pipe whose two ends are close-on-exec. On Linux from its creation (pipe2 O_CLOEXEC): with a
 * second call, a child that another thread of this process spawned in between would inherit them
 * (a worker's child holding the status pipe's write end hides the daemon's death). macOS has no
 * pipe2: fcntl follows, and its spawns take POSIX_SPAWN_CLOEXEC_DEFAULT.
 */
export function pipe(): [readFd: number, writeFd: number] {
  const fds = [0, 0];
  const pipe2 = c_pipe2?.() ?? null;
  if (pipe2) {
    if (pipe2(fds, O.CLOEXEC) !== 0) throw syscallError('pipe2', lastErrno());
    return [fds[0]!, fds[1]!];
  }
  if (c_pipe(fds) !== 0) throw syscallError('pipe', lastErrno());
  const [read, write] = [fds[0]!, fds[1]!];
  try {
    setCloexec(read, true);
    setCloexec(write, true);
  } catch (error) {
    closeQuietly(read);
    closeQuietly(write);
    throw error;
  }
  return [read, write];
}

export function setCloexec(fd: number, on: boolean): void {
  const flags = c_fcntl(fd, F_GETFD) as number;
  if (flags < 0) throw syscallError('fcntl', lastErrno(), { fd });
  const next = on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC;
  if (c_fcntl(fd, F_SETFD, 'int', next) !== 0) throw syscallError('fcntl', lastErrno(), { fd });
}

/** Whether `fd` is open in this process (fcntl F_GETFD succeeds). */
export function isFdOpen(fd: number): boolean {
  return (c_fcntl(fd, F_GETFD) as number) >= 0;
}

export function isCloexec(fd: number): boolean {
  const flags = c_fcntl(fd, F_GETFD) as number;
  if (flags < 0) throw syscallError('fcntl', lastErrno(), { fd });
  return (flags & FD_CLOEXEC) !== 0;
}

/** fcntl(F_DUPFD_CLOEXEC): a close-on-exec duplicate of `fd` at the lowest free number ≥ `atLeast`. */
export function dupAtLeast(fd: number, atLeast: number): number {
  const copy = c_fcntl(fd, C.F_DUPFD_CLOEXEC, 'int', atLeast) as number;
  if (copy < 0) throw syscallError('fcntl', lastErrno(), { fd });
  return copy;
}

/** fcntl(F_GETFL): the open flags of an fd (access mode, O_APPEND, O_NONBLOCK...). */
export function openFlags(fd: number): number {
  const flags = c_fcntl(fd, F_GETFL) as number;
  if (flags < 0) throw syscallError('fcntl', lastErrno(), { fd });
  return flags;
}

/** Sets or clears O_NONBLOCK on an fd (fcntl F_SETFL). */
export function setNonblock(fd: number, on: boolean): void {
  setOpenFlag(fd, O.NONBLOCK, on);
}

function setOpenFlag(fd: number, flag: number, on: boolean): void {
  const flags = openFlags(fd);
  const next = on ? flags | flag : flags & ~flag;
  if (c_fcntl(fd, C.F_SETFL, 'int', next) !== 0) throw syscallError('fcntl', lastErrno(), { fd });
}

/**
 * Linux: after this, when the other side of the pipe or socket `fd` reads closes (or data comes),
 * the kernel sends `signal` to the process `owner` (fcntl O_ASYNC, F_SETSIG, F_SETOWN; fs/pipe.c
 * pipe_release → kill_fasync). The signal and O_ASYNC belong to the open file description, so
 * they hold for every copy of `fd`, in any process.
 */
export function signalOwnerOnIo(fd: number, signal: number): void {
  if (c_fcntl(fd, C.F_SETSIG, 'int', signal) !== 0) throw syscallError('fcntl', lastErrno(), { fd });
  setOpenFlag(fd, C.O_ASYNC, true);
}

/** fcntl(F_SETOWN): the process that signalOwnerOnIo() signals. */
export function setIoOwner(fd: number, pid: number): void {
  if (c_fcntl(fd, C.F_SETOWN, 'int', pid) !== 0) throw syscallError('fcntl', lastErrno(), { fd });
}

/**
 * One read() of a non-blocking fd into `buffer`: the bytes read, 0 at end of file, null when
 * nothing is there yet. Interrupted reads are retried; other errors throw.
 */
export function readNow(fd: number, buffer: Buffer): number | null {
  for (;;) {
    const count = Number(c_read(fd, buffer, buffer.length));
    if (count >= 0) return count;
    const errno = lastErrno();
    if (errno === errnoValue('EAGAIN')) return null;
    if (errno !== errnoValue('EINTR')) throw syscallError('read', errno, { fd });
  }
}

/** Clears O_NONBLOCK on an fd, after an open that must not wait (a FIFO log). */
export function clearNonblock(fd: number): void {
  setNonblock(fd, false);
}

/** flock(); returns false instead of throwing when LOCK_NB finds the lock taken. */
export function flock(fd: number, operation: number, path?: string): boolean {
  if (c_flock(fd, operation) === 0) return true;
  const errno = lastErrno();
  if (errno === koffi().os.errno.EWOULDBLOCK || errno === koffi().os.errno.EAGAIN) return false;
  throw syscallError('flock', errno, path === undefined ? { fd } : { fd, path });
}

/** open(2) with raw flags, for what Node's fs cannot do (O_NOCTTY semantics on a tty, for instance). */
export function open(path: string, flags: number, mode = 0o666): number {
  const fd = c_open(path, flags, 'uint32_t', mode) as number;
  if (fd < 0) throw syscallError('open', lastErrno(), { path });
  return fd;
}

/** kill(); returns false when the process does not exist (ESRCH). */
export function kill(pid: number, signal: number): boolean {
  if (c_kill(pid, signal) === 0) return true;
  const errno = lastErrno();
  if (errno === koffi().os.errno.ESRCH) return false;
  throw syscallError('kill', errno, { pid });
}

/** Whether a process exists (a zombie counts as existing). EPERM means it exists under another user. */
export function processExists(pid: number): boolean {
  if (c_kill(pid, 0) === 0) return true;
  return lastErrno() === koffi().os.errno.EPERM;
}

export interface WaitResult {
  pid: number;
  /** Exit code when the process exited, else null. */
  exitCode: number | null;
  /** Signal number when the process was killed by a signal, else null. */
  signal: number | null;
}

function decodeStatus(pid: number, status: number): WaitResult {
  const termSig = status & 0x7f;
  if (termSig === 0) return { pid, exitCode: (status >> 8) & 0xff, signal: null };
  return { pid, exitCode: null, signal: termSig };
}

/** Non-blocking waitpid: null while the child runs. Only for our own children (posix_spawn'd or adopted). */
export function reapNow(pid: number): WaitResult | null {
  const status = [0];
  const got = c_waitpid(pid, status, WNOHANG) as number;
  if (got === 0) return null;
  if (got < 0) throw syscallError('waitpid', lastErrno(), { pid });
  return decodeStatus(got, status[0]!);
}

/**
 * Waits for a child on one of koffi's worker threads, so the event loop keeps running.
 * libuv does not know children made by posix_spawn through koffi, so nobody else reaps them.
 */
export function reap(pid: number): Promise<WaitResult> {
  return new Promise((resolve, reject) => {
    const status = [0];
    c_waitpid.async(pid, status, 0, (error: unknown, got: number) => {
      if (error) return reject(error);
      if (got < 0) return reject(syscallError('waitpid', koffi().os.errno.ECHILD, { pid }));
      resolve(decodeStatus(got, status[0]!));
    });
  });
}

/** A waitpid(WUNTRACED) status: `'stopped'`, or the WaitResult of a child that ended (reaped). */
function stoppedOrEndedStatus(pid: number, raw: number): WaitResult | 'stopped' {
  return (raw & 0xff) === 0x7f ? 'stopped' : decodeStatus(pid, raw);
}

/**
 * waitpid(pid, WUNTRACED) on the calling thread: `'stopped'` when the child stopped, its
 * WaitResult when it ended (then it is reaped). Only for a child just sent SIGSTOP or SIGKILL that
 * no tracer holds, which the kernel acts on before the child runs another instruction, so the wait
 * is short; a wait on koffi's worker thread costs a start about 1.5 ms more (issue 14.1).
 */
export function stoppedOrEndedNow(pid: number): WaitResult | 'stopped' {
  const status = [0];
  let got = c_waitpid(pid, status, WUNTRACED) as number;
  while (got < 0 && lastErrno() === koffi().os.errno.EINTR) got = c_waitpid(pid, status, WUNTRACED) as number;
  if (got < 0) throw syscallError('waitpid', lastErrno(), { pid });
  return stoppedOrEndedStatus(got, status[0]!);
}

/** waitpid(pid, WUNTRACED) on one of koffi's worker threads, so the event loop keeps running. */
export function stoppedOrEnded(pid: number): Promise<WaitResult | 'stopped'> {
  return new Promise((resolve, reject) => {
    const status = [0];
    c_waitpid.async(pid, status, WUNTRACED, (error: unknown, got: number) => {
      if (error) return reject(error);
      if (got < 0) return reject(syscallError('waitpid', koffi().os.errno.ECHILD, { pid }));
      resolve(stoppedOrEndedStatus(got, status[0]!));
    });
  });
}

export function getsid(pid: number): number {
  const sid = c_getsid(pid) as number;
  if (sid < 0) throw syscallError('getsid', lastErrno(), { pid });
  return sid;
}

export function getpgid(pid: number): number {
  const pgid = c_getpgid(pid) as number;
  if (pgid < 0) throw syscallError('getpgid', lastErrno(), { pid });
  return pgid;
}

/** The raw result of setsid() and its errno: for the executable POSIX specs, which assert on EPERM. */
export function trySetsid(): { result: number; errno: number } {
  const result = c_setsid() as number;
  return { result, errno: result < 0 ? lastErrno() : 0 };
}

export function trySetpgid(pid: number, pgid: number): { result: number; errno: number } {
  const result = c_setpgid(pid, pgid) as number;
  return { result, errno: result < 0 ? lastErrno() : 0 };
}

/** getpid() as the C library sees it (equals process.pid; used by the fork spec). */
export function getpid(): number {
  return c_getpid() as number;
}

/**
 * Raw fork(). Exists only for spec/posix/fork-from-node: a child that returns into
 * JavaScript dies (V8's heap is MADV_DONTFORK). Never call it anywhere else.
 */
export function forkForSpecOnly(): number {
  return c_fork() as number;
}

export function ioctl(fd: number, request: number, arg?: number | number[]): number {
  const result =
    arg === undefined
      ? (c_ioctl(fd, request) as number)
      : Array.isArray(arg)
        ? (c_ioctl(fd, request, koffi().out(koffi().pointer('int')), arg) as number)
        : (c_ioctl(fd, request, 'long', arg) as number);
  if (result < 0) throw syscallError('ioctl', lastErrno(), { fd });
  return result;
}

/** Like ioctl() but returns the errno instead of throwing: for specs that expect failures. */
export function tryIoctl(fd: number, request: number, arg = 0): { result: number; errno: number } {
  const result = c_ioctl(fd, request, 'long', arg) as number;
  return { result, errno: result < 0 ? lastErrno() : 0 };
}

/** Linux: become (or stop being) the reaper of orphaned descendants. */
export function setChildSubreaper(on: boolean): void {
  if (!c_prctl || C.PR_SET_CHILD_SUBREAPER < 0) {
    throw syscallError('prctl', koffi().os.errno.ENOSYS, { code: 'EUNSUPPORTED', hint: 'PR_SET_CHILD_SUBREAPER exists only on Linux' });
  }
  if (c_prctl(C.PR_SET_CHILD_SUBREAPER, 'unsigned long', on ? 1 : 0) !== 0) {
    throw syscallError('prctl', lastErrno());
  }
}

export function isChildSubreaper(): boolean {
  if (!c_prctl || C.PR_GET_CHILD_SUBREAPER < 0) return false;
  const out = [0];
  if (c_prctl(C.PR_GET_CHILD_SUBREAPER, koffi().out(koffi().pointer('int')), out) !== 0) return false;
  return out[0] === 1;
}

/**
 * This process's soft and hard limit of open files (RLIMIT_NOFILE), from getrlimit(2): on every
 * OS, where /proc/PID/limits is Linux's only. Unlimited (RLIM_INFINITY: all ones on Linux, 2^63 - 1
 * on macOS) is Infinity.
 */
export function openFileLimits(): { soft: number; hard: number } {
  const limits: (number | bigint)[] = [0, 0];
  if (c_getrlimit(C.RLIMIT_NOFILE, limits) !== 0) throw syscallError('getrlimit', lastErrno());
  // RLIM_INFINITY: all ones (Linux; 2^32 - 1 on a 32-bit one), or 2^63 - 1 (macOS).
  const infinity = currentOs() === 'darwin' ? 2 ** 53 : Math.min(2 ** (8 * koffi().sizeof('unsigned long')) - 1, 2 ** 53);
  const value = (limit: number | bigint | undefined): number => (Number(limit) >= infinity ? Infinity : Number(limit));
  return { soft: value(limits[0]), hard: value(limits[1]) };
}

/** Whether the kernel and C library offer close_range(2) (Linux ≥ 5.9, glibc ≥ 2.34). */
export function hasCloseRange(): boolean {
  return c_close_range() !== null;
}

/** close_range(first, ~0U): closes every fd from `first` up, in time proportional to the open ones. */
export function closeFrom(first: number): void {
  const closeRange = c_close_range();
  if (!closeRange) throw syscallError('close_range', koffi().os.errno.ENOSYS, { code: 'EUNSUPPORTED' });
  if (closeRange(first, 0xffffffff, 0) !== 0) throw syscallError('close_range', lastErrno(), { fd: first });
}

export interface Account {
  name: string;
  uid: number;
  gid: number;
}

export function lookupUser(nameOrId: string | number): Account | null {
  const entry =
    typeof nameOrId === 'number' || /^\d+$/.test(nameOrId) ? c_getpwuid(Number(nameOrId)) : c_getpwnam(nameOrId);
  if (!entry) return null;
  const value = koffi().decode(entry, Passwd()) as { pw_name: string; pw_uid: number; pw_gid: number };
  return { name: value.pw_name, uid: value.pw_uid, gid: value.pw_gid };
}

/**
 * The supplementary groups initgroups(3) gives `user` with primary group `gid` (getgrouplist(3)),
 * sorted, without duplicates; `gid` is among them.
 */
export function groupList(user: string, gid: number): number[] {
  for (let size = 64; size <= 65536; size *= 4) {
    const buffer = Buffer.alloc(size * 4);
    const count = [size];
    const found = c_getgrouplist(user, gid, buffer, count) as number;
    if (found >= 0 || count[0]! <= size) {
      const n = Math.min(count[0]!, size);
      const groups = Array.from({ length: n }, (_, i) => (endianness() === 'LE' ? buffer.readUInt32LE(i * 4) : buffer.readUInt32BE(i * 4)));
      return [...new Set(groups)].sort((a, b) => a - b);
    }
  }
  throw syscallError('getgrouplist', koffi().os.errno.ERANGE, { hint: `more than 65536 groups for ${user}` });
}

export function lookupGroup(nameOrId: string | number): { name: string; gid: number } | null {
  const entry =
    typeof nameOrId === 'number' || /^\d+$/.test(nameOrId) ? c_getgrgid(Number(nameOrId)) : c_getgrnam(nameOrId);
  if (!entry) return null;
  const value = koffi().decode(entry, Group()) as { gr_name: string; gr_gid: number };
  return { name: value.gr_name, gid: value.gr_gid };
}

const c_eventfd = currentOs() === 'linux' ? optionalCFunc('int eventfd(unsigned int initval, int flags)') : null;

/** A close-on-exec eventfd (Linux), or null where there is none. */
export function eventfdOrNull(): number | null {
  const eventfd = c_eventfd?.() ?? null;
  if (!eventfd) return null;
  const fd = eventfd(0, O.CLOEXEC) as number;
  return fd < 0 ? null : fd;
}
