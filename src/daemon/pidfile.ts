import { closeSync, existsSync, fchmodSync, fstatSync, lstatSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DaemonspecError, isDaemonspecError } from '../errors.js';
import { LOCK_EX, LOCK_NB, LOCK_SH, LOCK_UN, O } from '../ffi/constants.js';
import { DEFAULT_HINTS } from '../ffi/errno.js';
import { closeQuietly, flock } from '../ffi/libc.js';
import { commandLine, fdsVisible, fileOpeners, inodeOpeners, isRunning, type FileOpener } from '../inspect/processes.js';
import { readBounded, readRegularFile } from '../regular-file.js';
import { randomHex } from '../random-hex.js';

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
  /**
   * Whether the pid holds the lock itself (one of its fds is on the locked open file description),
   * found only where it matters (status and stop, a locked pidfile whose pid lives); undefined when
   * not looked for, null where the OS does not say (macOS).
   */
  pidHoldsLock?: boolean | null;
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
        ? existsSync(dirname(path))
          ? `the directory ${dirname(path)} exists but takes no new files (a kernel file system): put the pidfile elsewhere`
          : `create the directory ${dirname(path)} first`
        : errno === 'EISDIR'
          ? 'it is a directory: give a file path'
          : errno === 'EACCES' || errno === 'EPERM'
            ? what === 'read'
              ? 'this user may not read it (or search a directory on its path): run as its owner or root'
              : `this user may not write in ${dirname(path)} (or search a directory on its path): choose a directory this user may write, or run as root`
            : (DEFAULT_HINTS[errno] ?? 'check the directory exists and is writable');
  return new DaemonspecError('EPIDFILE', `cannot ${what} pidfile ${path} (${errno}): ${hint}`, { path, errno, cause: error });
}

/** What a file that is not a regular one is, for a message. */
function fileKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'a special file';
}

/**
 * The longest content a pidfile may have: a pid line (at most 7 digits on Linux, 5 on macOS) with
 * room for spaces. A longer file is not a pidfile, and is judged so without being read (issue 13:
 * a 3 GB file was read whole, and failed with ERR_FS_FILE_TOO_LARGE).
 */
export const PIDFILE_MAX_BYTES = 32;

/** The content of an open pidfile, reading at most PIDFILE_MAX_BYTES + 1 bytes; 'too long' past that. */
function readPidText(fd: number): string | { tooLong: number } {
  const size = fstatSync(fd).size;
  if (size > PIDFILE_MAX_BYTES) return { tooLong: size };
  const bytes = readBounded(fd, PIDFILE_MAX_BYTES + 1);
  // The file grew since fstat (a writer appending): still too long to be a pid line.
  if (bytes.length > PIDFILE_MAX_BYTES) return { tooLong: bytes.length };
  return bytes.toString('latin1');
}

/**
 * What a pidfile may hold: one pid line (NULs around it too: C programs that write a whole
 * buffer), or nothing yet (empty, blank, or the NULs a crash can leave where a write had not
 * reached the disk). Anything else is some other file at a mistyped path (/etc/hostname, an
 * 8-byte config), which a stop must not delete nor a start overwrite.
 */
function pidfileContent(text: string): boolean {
  const digits = /^[\s\0]*(\d*)[\s\0]*$/.exec(text)?.[1];
  if (digits === undefined) return false;
  // A number no process can have (0, or above pid_t's 2^31-1) is no pid either (a new user's probe:
  // it was read as an empty pidfile, stale, and removed).
  return digits === '' || (Number(digits) > 0 && Number(digits) <= PID_T_MAX);
}

/** The largest pid_t (a signed 32-bit int on Linux and macOS). */
const PID_T_MAX = 2 ** 31 - 1;

/** The text of the pidfile open at `fd`, refused (EPIDFILE) when it cannot be a pidfile's. */
function pidfileText(fd: number, path: string): string {
  const text = readPidText(fd);
  if (typeof text !== 'string') throw tooLongError(path, text.tooLong);
  if (!pidfileContent(text)) {
    throw new DaemonspecError(
      'EPIDFILE',
      `pidfile ${path} holds ${JSON.stringify(text)}, which is not a pid: it is not a pidfile; check the path, and remove the file if nothing needs it`,
      { path },
    );
  }
  return text;
}

/**
 * The pid a pidfile names, read the way {@link readPidfile} reads it (at most a pid line, the
 * same parse), without its lock probes: what the checker needs from a daemon's pidfile. Null
 * when the file is missing, unreadable, not a regular file, too long, or holds no pid. Never throws.
 */
export function pidInFile(path: string): number | null {
  const read = readRegularFile(path, PIDFILE_MAX_BYTES + 1);
  return read === null || read.bytes.length > PIDFILE_MAX_BYTES ? null : parsePid(read.bytes.toString('latin1'));
}

function tooLongError(path: string, size: number): DaemonspecError {
  return new DaemonspecError(
    'EPIDFILE',
    `pidfile ${path} is ${size} bytes, longer than a pid line (at most ${PIDFILE_MAX_BYTES}): it is not a pidfile; check the path, and remove the file if nothing needs it`,
    { path },
  );
}

export function parsePid(text: string): number | null {
  const match = /^[\s\0]*(\d+)[\s\0]*$/.exec(text);
  if (!match) return null;
  const pid = Number(match[1]);
  return pid > 0 && Number.isSafeInteger(pid) ? pid : null;
}

/** The points between the probes of {@link readPidfile}, where a test may run steps of a concurrent start or stop. */
export type ReadPoint = 'opened' | 'read' | 'locked' | 'alive' | 'relocked' | 'starting';

const NO_PAUSE = (): void => undefined;

/**
 * Reads a pidfile without changing it: pid, whether its lock is held, whether the pid is alive,
 * whether a start is in progress. A start or a stop may run meanwhile, and the answer must be
 * the state of one moment of it (issue 13; spec/properties/status-race.test.ts interleaves them
 * at the `pause` points). What makes the probes agree:
 * - The file read must still be at the path after the last probe, else the reads are of a file
 *   that was renamed over or removed meanwhile: read again. A file leaves the path at most once
 *   and its content is written before it arrives, so the content is that of the whole read.
 * - The lock is probed before the pid: a lock held with a pid alive afterwards was the daemon's
 *   together with a live pid. A lock held with a pid found dead is probed again after the death,
 *   since the daemon may have held it and died in between.
 * - Whether a start is in progress is asked last: a start locks its temporary file before it
 *   touches the path and keeps it locked until it renames it over the path or has removed the
 *   slot it took, so a start seen holding the path is still seen in progress.
 */
export function readPidfile(path: string, pause: (point: ReadPoint) => void = NO_PAUSE): PidfileInfo {
  for (let attempt = 0; attempt < 20; attempt++) {
    const info = readOnce(path, pause);
    if (info !== null) return info;
  }
  throw new DaemonspecError('EPIDFILE', `pidfile ${path} was replaced 20 times while it was read: is a start looping? read it again later`, { path });
}

/** One read; null when the file read left the path meanwhile. */
function readOnce(path: string, pause: (point: ReadPoint) => void): PidfileInfo | null {
  let fd: number;
  try {
    fd = openSync(path, O.RDONLY | O.NOFOLLOW | O.NONBLOCK);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return { path, exists: false, pid: null, locked: false, alive: false, starting: false };
    throw pidfileError(path, 'read', error);
  }
  try {
    if (!fstatSync(fd).isFile()) {
      throw new DaemonspecError('EPIDFILE', `pidfile ${path} is ${fileKind(fstatSync(fd))}, not a regular file: give the path of the pidfile itself`, { path });
    }
    pause('opened');
    const pid = parsePid(pidfileText(fd, path));
    pause('read');
    const lockedBefore = isLocked(fd, path);
    pause('locked');
    const alive = pid !== null && isRunning(pid);
    pause('alive');
    const locked = lockedBefore && !alive ? isLocked(fd, path) : lockedBefore;
    pause('relocked');
    const starting = !alive && startInProgress(path);
    pause('starting');
    if (!sameInode(fd, path)) return null;
    return { path, exists: true, pid, locked, alive, starting };
  } finally {
    closeSync(fd);
  }
}

/** Whether a process holds an exclusive lock on the file (a shared probe, let go at once). */
function isLocked(fd: number, path: string): boolean {
  const free = flock(fd, LOCK_SH | LOCK_NB, path);
  if (free) flock(fd, LOCK_UN, path);
  return !free;
}

function tempPrefix(path: string): string {
  return `.${basename(path)}.`;
}

/**
 * Whether a temporary file's owner could have made it in a start of this pidfile: root, this
 * process's user, or the pidfile's owner. Another user's (a neighbour in a shared directory,
 * holding a lock on a `.NAME.x.tmp` of theirs) made `status` say "starting" for a dead daemon,
 * and `stop` refuse, for as long as they liked (an adversarial probe).
 */
function startersFile(stat: Stats, path: string): boolean {
  if (!stat.isFile()) return false;
  if (stat.uid === 0 || stat.uid === process.geteuid?.()) return true;
  try {
    return lstatSync(path).uid === stat.uid;
  } catch {
    return false;
  }
}

/** Whether a start of this pidfile is in progress: one of its temporary files, made by a starter, exists and is locked. */
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
      if (startersFile(fstatSync(fd), path) && !flock(fd, LOCK_SH | LOCK_NB, name)) return true;
    } catch {
      // not lockable: not ours
    } finally {
      closeSync(fd);
    }
  }
  return false;
}

/**
 * Processes (this one aside) that have the pidfile open, with the fd number, found by the
 * inspector (Linux /proc/PID/fd, as fuser does; macOS libproc). The holders of its lock are among them.
 */
export function lockHolders(path: string): FileOpener[] {
  return fileOpeners(path).filter((h) => h.pid !== process.pid);
}

/**
 * Whether `pid` holds the flock() on the pidfile through one of its fds (this process included,
 * when it asks about itself). Null when it cannot be known: the OS does not say which description
 * is locked (macOS), the pid's fds cannot be read (another user's process, to a caller that is not
 * root), or no other holder is seen either. The pid's own fds are read first: the scan of every
 * process's fds (about 10 ms with 800 fds open here) is made only when the pid holds nothing.
 */
export function holdsFlock(path: string, pid: number): boolean | null {
  let file: Stats;
  try {
    file = statSync(path);
  } catch {
    return null;
  }
  const own = inodeOpeners(file.dev, file.ino, [pid]);
  if (own.some((h) => h.flock === null)) return null;
  if (own.some((h) => h.flock === true)) return true;
  if (!fdsVisible(pid)) return null;
  return inodeOpeners(file.dev, file.ino).some((h) => h.pid !== pid && h.flock === true) ? false : null;
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

/**
 * An unlocked pidfile whose pid lives, which status calls running. Nothing tells a daemon that
 * closed its fd from a reused pid for sure (a process younger than the pidfile is not proof: the
 * clock may have been stepped forward since, as at boot on a machine without an RTC), so the
 * start refuses it, EPIDFILE (not EPIDFILE_LOCKED: no daemon is known to hold it), naming the
 * process for the user to judge.
 */
function unlockedButRunningError(path: string, pid: number): DaemonspecError {
  const argv = commandLine(pid);
  const what = argv === null || argv.length === 0 ? '' : ` (${argv.join(' ').slice(0, 80)})`;
  return new DaemonspecError(
    'EPIDFILE',
    `pidfile ${path} names PID ${pid}${what}, which runs, but nothing holds the pidfile lock: either the daemon closed its pidfile fd, or PID ${pid} was reused by another process; ` +
      `stop it with \`daemonspec stop --force --pidfile ${path}\` if it is your daemon, else remove the pidfile`,
    { path, pid },
  );
}

/** Whether the pid is this process or one of its threads (a pidfile may name the starter's own pid, reused). */
function isThisProcess(pid: number): boolean {
  return pid === process.pid || (process.platform === 'linux' && existsSync(`/proc/self/task/${pid}`));
}

function lockedError(path: string, ownTemp: string): DaemonspecError {
  // First whether a start is in progress, then the pid: a start that finishes in between has
  // already renamed its pidfile (with a live pid) over the path when its temporary file is gone.
  const starting = startInProgress(path, ownTemp);
  let pid: number | null = null;
  try {
    const fd = openSync(path, O.RDONLY | O.NOFOLLOW | O.NONBLOCK);
    try {
      const text = readPidText(fd);
      pid = typeof text === 'string' ? parsePid(text) : null;
    } finally {
      closeSync(fd);
    }
  } catch {
    // unreadable: name no pid
  }
  // A start in progress holds the old file while its contents are still the previous (stale) pid.
  const holder = pid !== null && isRunning(pid) ? pid : null;
  if (holder === null && !starting) {
    return new DaemonspecError('EPIDFILE_LOCKED', `pidfile ${path} cannot be taken: ${orphanedLockMessage(path, pid)}; then start again`, { path });
  }
  // A live pid that is not what holds the lock (a reused pid, a child keeping it): `stop` would
  // refuse it, and --force would signal the wrong process (a review).
  if (holder !== null && !starting && holdsFlock(path, holder) === false) {
    return new DaemonspecError(
      'EPIDFILE_LOCKED',
      `pidfile ${path} cannot be taken: its lock is held by ${describeHolders(path) || 'another process'}, not by PID ${holder}, which it names ` +
        `(a child of the daemon keeps the lock, or PID ${holder} was reused): find the holder with \`fuser ${path}\` and stop it; then start again`,
      { path },
    );
  }
  // A start in progress cannot be stopped yet (stop refuses it): wait for it, as stop says.
  const fix = holder === null ? 'wait for that start to finish, then stop it if needed' : 'stop it';
  const who = holder === null ? 'a daemon that is starting' : `PID ${holder}`;
  return new DaemonspecError(
    'EPIDFILE_LOCKED',
    `pidfile ${path} is held by ${who}; ${fix} with \`daemonspec stop --pidfile ${path}\``,
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
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      closeSync(fd);
      throw new DaemonspecError('EPIDFILE', `pidfile ${path} is ${fileKind(stat)}, not a regular file: choose another path`, { path });
    }
    // A file that is not a pidfile is some other file (a config at a mistyped path): never replaced.
    let text = '';
    if (!created) {
      try {
        text = pidfileText(fd, path);
      } catch (error) {
        closeSync(fd);
        throw error;
      }
    }
    if (!flock(fd, LOCK_EX | LOCK_NB, path)) {
      closeSync(fd);
      throw lockedError(path, ownTemp);
    }
    // Unlocked, but its pid lives: status calls it running (the daemon closed its fd, or the pid
    // was reused). Taking it started a second daemon that no stop could reach (a new user's probe).
    const pid = parsePid(text);
    if (pid !== null && !isThisProcess(pid) && isRunning(pid)) {
      closeSync(fd);
      throw unlockedButRunningError(path, pid);
    }
    if (sameInode(fd, path)) return { fd, created };
    closeSync(fd);
  }
  throw new DaemonspecError('EPIDFILE', `pidfile ${path} keeps being replaced by another process: is another start running?`, { path });
}

/** The pidfile's directory, which must be one; else EPIDFILE saying what is there instead. */
function directoryOf(path: string): void {
  let errno = 'ENOENT';
  try {
    if (statSync(dirname(path)).isDirectory()) return;
    errno = 'ENOTDIR';
  } catch (error) {
    errno = errnoOf(error);
  }
  const message =
    errno === 'ENOTDIR'
      ? `the directory of pidfile ${path} is not a directory: ${nearestNonDirectory(dirname(path))} is a file; give a path inside a directory`
      : `the directory of pidfile ${path} does not exist: create ${dirname(path)} first`;
  throw new DaemonspecError('EPIDFILE', message, { path, errno });
}

/** The first path on the way to `dir` that exists and is not a directory (or `dir` itself). */
function nearestNonDirectory(dir: string): string {
  const parent = dirname(dir);
  if (parent !== dir) {
    try {
      if (!statSync(parent).isDirectory()) return nearestNonDirectory(parent);
    } catch {
      // not there: `dir` is what the message names
    }
  }
  return dir;
}

/** Claims a pidfile for a start. Throws EPIDFILE_LOCKED when a live daemon holds it. */
export function claimPidfile(path: string): PidfileClaim {
  directoryOf(path);
  // The temporary file first, locked: while the slot is locked by this start, a locked temporary
  // file shows that a start is in progress (startInProgress).
  const tempPath = join(dirname(path), `${tempPrefix(path)}${randomHex(4)}.tmp`);
  const fds = new ClaimFds();
  let slot: { fd: number; created: boolean };
  try {
    fds.write = openSync(tempPath, O.WRONLY | O.CREAT | O.EXCL | O.NOFOLLOW, 0o644);
  } catch (error) {
    throw pidfileError(path, 'create a temporary file next to the', error);
  }
  try {
    fds.lock = lockedTwin(fds.write, tempPath);
    slot = lockSlot(path, tempPath);
  } catch (error) {
    unlinkQuietly(tempPath);
    fds.closeAll();
    throw error instanceof DaemonspecError ? error : pidfileError(path, 'lock a temporary file next to the', error);
  }
  sweepDeadTemps(path, tempPath);
  let slotFd: number | null = slot.fd;
  const releaseSlot = (): void => {
    if (slotFd !== null) closeSync(slotFd);
    slotFd = null;
  };
  const lockFd = fds.lock;
  const claim: PidfileClaim = {
    path,
    lockFd,
    committed: false,
    release() {
      fds.closeAll();
    },
    commit(pid: number) {
      const text = `${pid}\n`;
      writeSync(fds.write, text, 0, 'latin1');
      fds.closeWrite();
      renameSync(tempPath, path);
      claim.committed = true;
      releaseSlot();
    },
    abort() {
      if (claim.committed) {
        if (sameInode(lockFd, path)) unlinkQuietly(path);
      } else {
        // The slot first, then the temporary file: while the slot is locked at the path, the
        // locked temporary file is what says "starting" rather than "a lock held by a child".
        if (slotFd !== null && sameInode(slotFd, path)) unlinkQuietly(path);
        releaseSlot();
        unlinkQuietly(tempPath);
      }
      releaseSlot();
      fds.closeAll();
    },
  };
  return claim;
}

/**
 * A claim's two fds, each closed once: a number closed twice may by then be another file's (a
 * review: commit() closed the write fd, and release() closed the same number again, which an
 * open in between had been given).
 */
class ClaimFds {
  write = -1;
  lock = -1;

  /** Closes the write fd, unless the lock is held through it (lockedTwin's fallback). */
  closeWrite(): void {
    if (this.write >= 0 && this.write !== this.lock) closeQuietly(this.write);
    this.write = -1;
  }

  closeAll(): void {
    this.closeWrite();
    if (this.lock >= 0) closeQuietly(this.lock);
    this.lock = -1;
  }
}

/**
 * The fd the daemon inherits and holds the lock through, locked: a read-only one on the file
 * `writeFd` created. flock() needs no write access, and a daemon that runs as another user
 * (`--user`) must not be able to rewrite its root-owned pidfile through it (root's `stop` would
 * signal the pid it wrote); the start writes the pid through `writeFd`, which the daemon never
 * gets. Where an exclusive flock() needs a file open for writing (NFS emulates it with a
 * byte-range lock: EBADF), the lock is taken through `writeFd` itself, as before 2026-12-05; a
 * pid the daemon writes there then names a process that does not hold the lock, which status and
 * stop tell (lock-elsewhere, Linux).
 */
function lockedTwin(writeFd: number, path: string): number {
  const twin = readOnlyTwin(writeFd, path);
  try {
    if (flock(twin, LOCK_EX | LOCK_NB, path)) return twin;
  } catch (error) {
    closeSync(twin);
    if (!isDaemonspecError(error) || error.errno !== 'EBADF') throw error;
    if (flock(writeFd, LOCK_EX | LOCK_NB, path)) return writeFd;
    throw lockedTemp();
  }
  closeSync(twin);
  throw lockedTemp();
}

function lockedTemp(): Error {
  return Object.assign(new Error('temporary file locked by another process'), { code: 'EAGAIN' });
}

/**
 * A read-only fd on the file `writeFd` created, by its path, checked to be that file. Its owner
 * may read it whatever the umask (0477 left it unreadable: a non-root start failed), and the open
 * does not block: a FIFO renamed over the path in between (a directory others may write) is
 * opened at once, and refused as another file.
 */
function readOnlyTwin(writeFd: number, path: string): number {
  const mode = fstatSync(writeFd).mode & 0o7777;
  if ((mode & 0o400) === 0) fchmodSync(writeFd, mode | 0o400);
  const fd = openSync(path, O.RDONLY | O.NOFOLLOW | O.NONBLOCK);
  const a = fstatSync(fd);
  const b = fstatSync(writeFd);
  if (a.ino === b.ino && a.dev === b.dev) return fd;
  closeSync(fd);
  throw Object.assign(new Error('the temporary file was replaced as it was opened'), { code: 'EAGAIN' });
}

/**
 * Removes the temporary files of starts that died (a starter SIGKILLed before its commit leaves
 * one, unlocked). Called with the slot locked: a start that just created its temporary file and
 * has not locked it yet may lose it, but it cannot take the slot this start holds anyway.
 */
function sweepDeadTemps(path: string, ownTemp: string): void {
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    const temp = join(dirname(path), name);
    if (!name.startsWith(tempPrefix(path)) || !name.endsWith('.tmp') || temp === ownTemp) continue;
    let fd: number;
    try {
      fd = openSync(temp, O.RDONLY | O.NOFOLLOW | O.NONBLOCK);
    } catch {
      continue;
    }
    try {
      if (fstatSync(fd).isFile() && flock(fd, LOCK_SH | LOCK_NB, temp) && sameInode(fd, temp)) unlinkQuietly(temp);
    } catch {
      // not ours to judge
    } finally {
      closeSync(fd);
    }
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * The lock removeStalePidfile() takes on the pidfile before unlinking it: shared, so that it fails
 * while the daemon (or a start, or a child of the daemon) holds the exclusive lock, yet a status
 * reading meanwhile does not take it for a lock that someone else still holds (issue 13: status
 * reported `orphaned-lock` during a stop).
 */
export const REMOVAL_LOCK = LOCK_SH;

/** Removes a pidfile if nobody holds its lock (after a daemon stopped). Returns whether it was removed. */
export function removeStalePidfile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, O.RDONLY | O.NOFOLLOW | O.NONBLOCK);
  } catch {
    return false;
  }
  try {
    if (!flock(fd, REMOVAL_LOCK | LOCK_NB, path)) return false;
    if (!sameInode(fd, path)) return false;
    try {
      unlinkSync(path);
    } catch {
      return false; // another stop removed it first (shared locks do not exclude each other)
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/** In a daemon: removes the pidfile if it is still the one this lock fd belongs to. */
export function removeOwnPidfile(path: string, lockFd: number): void {
  if (sameInode(lockFd, path)) unlinkQuietly(path);
}
