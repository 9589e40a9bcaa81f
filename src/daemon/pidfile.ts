import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { DaemonspecError } from '../errors.js';
import { LOCK_EX, LOCK_NB, LOCK_SH, LOCK_UN, O } from '../ffi/constants.js';
import { DEFAULT_HINTS } from '../ffi/errno.js';
import { flock, processExists } from '../ffi/libc.js';

/*
 * Pidfile protocol. The lock, not the contents, says whether a daemon runs: the daemon inherits
 * an fd of the pidfile with an exclusive flock() and holds it for its whole life.
 *
 * Starting: take the lock on whatever file is at the path now ("the slot": a stale pidfile, or an
 * empty one created O_EXCL), never truncating it (knsd/daemonize#20: a second start must not wipe
 * a running daemon's pidfile before it fails its lock). Then a temporary file in the same directory
 * is created and locked; once the daemon's pid is known it gets `PID\n` and is renamed over the path,
 * so readers never see an empty or partial pidfile. A starter that locked an inode which has since
 * been renamed away retries, which is what the inode comparison is for. The temporary file is
 * created and locked BEFORE the slot is locked, so "a start is in progress" is observable: a locked
 * `.NAME.*.tmp` next to the pidfile.
 *
 * The lock fd is inherited by the daemon without FD_CLOEXEC (an exec'd program cannot be given it
 * any other way), so a non-Node daemon's own children inherit it too: the lock can outlive the
 * daemon (held by a child), or be gone while it runs (the daemon closed its inherited fds).
 * src/daemon/control.ts classifies those cases; lockHolders() names who holds it.
 */

export interface PidfileInfo {
  path: string;
  /** Whether a file exists at the path. */
  exists: boolean;
  /** The pid in the file, or null when absent, empty or malformed. */
  pid: number | null;
  /** Whether some process holds the lock (a running daemon, or a start in progress). */
  locked: boolean;
  /** Whether the pid exists (zombies count as gone). */
  alive: boolean;
  /** Whether a start is in progress (a locked temporary file of a start sits next to the pidfile). */
  starting: boolean;
}

/** A pidfile being claimed for a start; the lock fd is what the daemon inherits. */
export interface PidfileClaim {
  path: string;
  /** Locked temporary file; after commit() it is the pidfile itself. */
  lockFd: number;
  committed: boolean;
  release(): void;
  /** Writes `PID\n` and renames the temporary file over the path. */
  commit(pid: number): void;
  /** Undoes the claim after a failed start: no pidfile, no temporary file left. */
  abort(): void;
}

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? 'EIO';
}

function pidfileError(path: string, what: string, error: unknown): DaemonspecError {
  const errno = errnoOf(error);
  const hint =
    errno === 'ELOOP'
      ? 'it is a symbolic link, which daemonspec refuses (Debian #675918): remove the link or choose another path'
      : errno === 'ENOENT'
        ? `create the directory ${dirname(path)} first`
        : errno === 'EISDIR'
          ? 'it is a directory: give a file path'
          : (DEFAULT_HINTS[errno] ?? 'check the directory exists and is writable');
  return new DaemonspecError('EPIDFILE', `cannot ${what} pidfile ${path} (${errno}): ${hint}`, { path, errno, cause: error });
}

export function parsePid(text: string): number | null {
  const match = /^\s*(\d+)\s*$/.exec(text);
  if (!match) return null;
  const pid = Number(match[1]);
  return pid > 0 && Number.isSafeInteger(pid) ? pid : null;
}

/** Whether a pid is alive and not a zombie (Linux: /proc state; elsewhere: kill 0). */
export function isAlive(pid: number): boolean {
  if (!processExists(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Reads a pidfile without changing it: pid, whether its lock is held, whether the pid is alive. */
export function readPidfile(path: string, attempts = 5): PidfileInfo {
  let fd: number;
  try {
    fd = openSync(path, O.RDONLY | O.NOFOLLOW | O.NONBLOCK);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return { path, exists: false, pid: null, locked: false, alive: false, starting: false };
    throw pidfileError(path, 'read', error);
  }
  try {
    if (!fstatSync(fd).isFile()) {
      throw new DaemonspecError('EPIDFILE', `pidfile ${path} is not a regular file (a directory?): give the path of the pidfile itself`, { path });
    }
    const pid = parsePid(readFileSync(fd, 'latin1'));
    const free = flock(fd, LOCK_SH | LOCK_NB, path);
    if (free) flock(fd, LOCK_UN, path);
    const alive = pid !== null && isAlive(pid);
    const starting = !free && !alive && startInProgress(path);
    // A start that committed meanwhile renamed a new file over the path: read that one instead.
    if (!free && !alive && !starting && attempts > 1 && !sameInode(fd, path)) return readPidfile(path, attempts - 1);
    return { path, exists: true, pid, locked: !free, alive, starting };
  } finally {
    closeSync(fd);
  }
}

function tempPrefix(path: string): string {
  return `.${basename(path)}.`;
}

/** Whether a start of this pidfile is in progress: one of its temporary files exists and is locked. */
export function startInProgress(path: string, exceptTemp?: string): boolean {
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return false;
  }
  for (const name of names) {
    if (!name.startsWith(tempPrefix(path)) || !name.endsWith('.tmp') || join(dirname(path), name) === exceptTemp) continue;
    let fd: number;
    try {
      fd = openSync(join(dirname(path), name), O.RDONLY | O.NOFOLLOW | O.NONBLOCK);
    } catch {
      continue;
    }
    try {
      if (!flock(fd, LOCK_SH | LOCK_NB, name)) return true;
    } catch {
      // not lockable: not ours
    } finally {
      closeSync(fd);
    }
  }
  return false;
}

/**
 * Processes that have the pidfile open, with the fd number (Linux: /proc/PID/fd, as fuser does;
 * elsewhere an empty list). The holders of its lock are among them.
 */
export function lockHolders(path: string): { pid: number; fd: number }[] {
  if (process.platform !== 'linux') return [];
  let target: { dev: number; ino: number };
  try {
    target = statSync(path);
  } catch {
    return [];
  }
  const out: { pid: number; fd: number }[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const st = statSync(`/proc/${pid}/fd/${fd}`);
        if (st.ino === target.ino && st.dev === target.dev) out.push({ pid, fd: Number(fd) });
      } catch {
        // closed meanwhile
      }
    }
  }
  return out;
}

/** "PID 12 (fd 4)" for the processes holding a pidfile open, or '' when none is found. */
export function describeHolders(path: string): string {
  return lockHolders(path)
    .map((h) => `PID ${h.pid} (fd ${h.fd})`)
    .join(', ');
}

/** Why a pidfile is locked while the pid in it is dead (not a start in progress). */
export function orphanedLockMessage(path: string, pid: number | null): string {
  const holders = describeHolders(path);
  return (
    `${pid === null ? 'no live pid in it' : `PID ${pid} is dead`}, but its pidfile lock is still held by another process ` +
    `(${holders ? `${holders}: ` : ''}a child of the daemon that inherited the lock fd): find it with \`fuser ${path}\` and stop it`
  );
}

function sameInode(fd: number, path: string): boolean {
  try {
    const a = fstatSync(fd);
    const b = lstatSync(path);
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}

function lockedError(path: string, ownTemp: string): DaemonspecError {
  // First whether a start is in progress, then the pid: a start that finishes in between has
  // already renamed its pidfile (with a live pid) over the path when its temporary file is gone.
  const starting = startInProgress(path, ownTemp);
  let pid: number | null = null;
  try {
    pid = parsePid(readFileSync(path, 'latin1'));
  } catch {
    // unreadable: name no pid
  }
  // A start in progress holds the old file while its contents are still the previous (stale) pid.
  const holder = pid !== null && isAlive(pid) ? pid : null;
  if (holder === null && !starting) {
    return new DaemonspecError('EPIDFILE_LOCKED', `pidfile ${path} is locked although ${orphanedLockMessage(path, pid)}; then start again`, { path });
  }
  const who = holder === null ? 'a daemon that is starting' : `PID ${holder}`;
  return new DaemonspecError(
    'EPIDFILE_LOCKED',
    `pidfile ${path} is held by ${who}; stop it with \`daemonspec stop --pidfile ${path}\``,
    holder === null ? { path } : { path, pid: holder },
  );
}

/** Takes the lock on the file at the path now (stale, or created empty), retrying if it is replaced meanwhile. */
function lockSlot(path: string, ownTemp: string): { fd: number; created: boolean } {
  for (let attempt = 0; attempt < 20; attempt++) {
    let fd: number;
    let created = false;
    try {
      fd = openSync(path, O.RDWR | O.NOFOLLOW);
    } catch (error) {
      if (errnoOf(error) !== 'ENOENT') throw pidfileError(path, 'open', error);
      try {
        fd = openSync(path, O.RDWR | O.CREAT | O.EXCL | O.NOFOLLOW, 0o644);
        created = true;
      } catch (createError) {
        if (errnoOf(createError) === 'EEXIST') continue;
        throw pidfileError(path, 'create', createError);
      }
    }
    if (!fstatSync(fd).isFile()) {
      closeSync(fd);
      throw new DaemonspecError('EPIDFILE', `pidfile ${path} is not a regular file: choose another path`, { path });
    }
    if (!flock(fd, LOCK_EX | LOCK_NB, path)) {
      closeSync(fd);
      throw lockedError(path, ownTemp);
    }
    if (sameInode(fd, path)) return { fd, created };
    closeSync(fd);
  }
  throw new DaemonspecError('EPIDFILE', `pidfile ${path} keeps being replaced by another process: is another start running?`, { path });
}

/** Claims a pidfile for a start. Throws EPIDFILE_LOCKED when a live daemon holds it. */
export function claimPidfile(path: string): PidfileClaim {
  try {
    if (!statSync(dirname(path)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (error) {
    throw new DaemonspecError('EPIDFILE', `the directory of pidfile ${path} does not exist: create ${dirname(path)} first`, {
      path,
      errno: errnoOf(error),
    });
  }
  // The temporary file first, locked: while the slot is locked by this start, a locked temporary
  // file shows that a start is in progress (startInProgress).
  const tempPath = join(dirname(path), `${tempPrefix(path)}${randomBytes(4).toString('hex')}.tmp`);
  let lockFd: number;
  try {
    lockFd = openSync(tempPath, O.RDWR | O.CREAT | O.EXCL | O.NOFOLLOW, 0o644);
  } catch (error) {
    throw pidfileError(path, 'create a temporary file next to the', error);
  }
  let slot: { fd: number; created: boolean };
  try {
    if (!flock(lockFd, LOCK_EX | LOCK_NB, tempPath)) throw Object.assign(new Error('temporary file locked by another process'), { code: 'EAGAIN' });
    slot = lockSlot(path, tempPath);
  } catch (error) {
    unlinkQuietly(tempPath);
    closeSync(lockFd);
    throw error instanceof DaemonspecError ? error : pidfileError(path, 'lock a temporary file next to the', error);
  }
  let slotFd: number | null = slot.fd;
  const releaseSlot = (): void => {
    if (slotFd !== null) closeSync(slotFd);
    slotFd = null;
  };
  const claim: PidfileClaim = {
    path,
    lockFd,
    committed: false,
    release() {
      closeSync(lockFd);
    },
    commit(pid: number) {
      const text = `${pid}\n`;
      writeSync(lockFd, text, 0, 'latin1');
      renameSync(tempPath, path);
      claim.committed = true;
      releaseSlot();
    },
    abort() {
      if (claim.committed) {
        if (sameInode(lockFd, path)) unlinkQuietly(path);
      } else {
        unlinkQuietly(tempPath);
        if (slotFd !== null && sameInode(slotFd, path)) unlinkQuietly(path);
      }
      releaseSlot();
      try {
        closeSync(lockFd);
      } catch {
        // already closed
      }
    },
  };
  return claim;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Removes a pidfile if nobody holds its lock (after a daemon stopped). Returns whether it was removed. */
export function removeStalePidfile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, O.RDONLY | O.NOFOLLOW | O.NONBLOCK);
  } catch {
    return false;
  }
  try {
    if (!flock(fd, LOCK_EX | LOCK_NB, path)) return false;
    if (!sameInode(fd, path)) return false;
    unlinkSync(path);
    return true;
  } finally {
    closeSync(fd);
  }
}

/** In a daemon: removes the pidfile if it is still the one this lock fd belongs to. */
export function removeOwnPidfile(path: string, lockFd: number): void {
  if (sameInode(lockFd, path)) unlinkQuietly(path);
}
