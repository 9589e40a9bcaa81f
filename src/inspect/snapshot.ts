/**
 * What daemonspec knows about a process, read from outside it. One type for every OS:
 * a field the OS cannot show is null, with the reason in `unknown` (never a guess).
 */
export type FdKind = 'file' | 'directory' | 'pipe' | 'socket' | 'tty' | 'device' | 'anon' | 'other';

export interface FdInfo {
  fd: number;
  /** What the fd points at: a path, `pipe:[inode]`, `socket:[inode]`, `anon_inode:[eventfd]`... */
  target: string;
  kind: FdKind;
  /** Identity of the open object (st_dev, st_ino of the target), for recognising a leaked trap. */
  device: number | null;
  inode: number | null;
  /** FD_CLOEXEC, or null where the OS does not say. */
  cloexec: boolean | null;
  /** O_APPEND, or null where unknown. */
  append: boolean | null;
  access: 'r' | 'w' | 'rw' | null;
  /** O_NONBLOCK, where the OS says it (Linux fdinfo, macOS fi_openflags). */
  nonblocking?: boolean;
  /** An eventfd's own id (fdinfo `eventfd-id`, Linux ≥ 6.1): eventfds share one inode, this tells them apart. */
  eventfdId?: number;
}

export interface TtyInfo {
  /** The device number (Linux tty_nr, macOS e_tdev). */
  device: number;
  /** /dev/pts/3, or null when no device node matched. */
  name: string | null;
}

export interface SignalState {
  /** Blocked in the main thread; null where the OS does not show it (macOS). */
  blocked: number[] | null;
  /**
   * Set when the main thread waits in a call that replaces its mask while it waits (rt_sigsuspend;
   * ppoll, pselect6, epoll_pwait given a mask): `blocked` is then that call's temporary mask,
   * not the process's own, which the kernel keeps out of sight (Linux).
   */
  blockedWhileIn?: string;
  ignored: number[];
  caught: number[];
}

export interface Snapshot {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** Foreground process group of the controlling terminal; null when there is none. */
  tpgid: number | null;
  /** The controlling terminal, or null when the process has none. */
  tty: TtyInfo | null;
  /** The file mode creation mask, or null (macOS: not observable from outside). */
  umask: number | null;
  cwd: string | null;
  root: string | null;
  /** Open fds sorted by number; null when they cannot be read (another user's process without root). */
  fds: FdInfo[] | null;
  signals: SignalState;
  /** Effective user id (what `ps -o uid` shows); all three ids are in `uids`. */
  uid: number;
  /** Effective group id. */
  gid: number;
  groups: number[];
  /** Real, effective and saved user ids (added by the inspector; optional for older producers). */
  uids?: { real: number; effective: number; saved: number };
  gids?: { real: number; effective: number; saved: number };
  /** Short command name: Linux comm (16 bytes), macOS p_comm. */
  name?: string;
  /** Number of threads; signals.blocked is the main thread's mask only. Null where unknown. */
  threads?: number | null;
  cmdline: string[];
  /** Single-letter state as ps shows it (R, S, D, Z, T...). */
  state: string;
  /** Process start time in clock ticks since boot (Linux) or µs since the epoch (macOS): with pid, an identity. */
  startTime: number;
  /** Field name → why it is null. */
  unknown: Record<string, string>;
}
