import type { FdInfo, Snapshot } from './snapshot.js';

/** What a process scan knows cheaply about one process (Linux: one read of /proc/P/stat). */
export interface ProcessSummary {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** Controlling terminal device, 0 for none. */
  ttyDevice: number;
  /** Single-letter state (R, S, Z...). */
  state: string;
  /** Same unit as Snapshot.startTime: with the pid, an identity that survives pid reuse. */
  startTime: number;
  /** Short command name (Linux comm, macOS p_comm). */
  name: string;
}

/** A process that has a file open, and at which fd. */
export interface FileOpener {
  pid: number;
  fd: number;
  /**
   * Whether the open file description at this fd holds a flock() lock on the file (Linux:
   * /proc/PID/fdinfo/FD's `lock:` lines name the locks of that description); null where the OS
   * does not say (macOS).
   */
  flock: boolean | null;
}

/** A resource limit as /proc/PID/limits names it (`Max open files`: RLIMIT_NOFILE; `Max msgqueue size`: RLIMIT_MSGQUEUE). */
export type ResourceLimitName = 'open files' | 'msgqueue size';

/** One implementation per OS (linux.ts, darwin.ts); index.ts picks one at load. */
export interface InspectBackend {
  inspect(pid: number): Snapshot;
  /** Null when the process does not exist. */
  summary(pid: number): ProcessSummary | null;
  /** Every visible process; entries vanish between listing and reading, and are then left out. */
  listProcesses(): ProcessSummary[];
  childPids(pid: number): number[];
  /** The argument vector (as at execve, or as the process rewrote it); null when it cannot be read, [] when gone. */
  argv(pid: number): string[] | null;
  /** The environment as at execve, or null when it cannot be read (permissions, OS). Missing process: []. */
  environ(pid: number): string[] | null;
  /**
   * The argument vector as the kernel holds it, bytes that are not UTF-8 included (Linux:
   * /proc/PID/cmdline); null where the OS does not give the bytes (macOS) or they cannot be read.
   */
  argvBytes(pid: number): Buffer[] | null;
  /** Every (pid, fd) that has the file (device, inode) open, as fuser finds them; unreadable processes are left out. */
  /** The processes (all, or those of `pids`) that have the file with this device and inode open. */
  openers(device: number, inode: number, pids?: readonly number[]): FileOpener[];
  /** Whether this process's fds can be listed (false: gone, or another user's to a non-root caller). */
  fdsVisible(pid: number): boolean;
  /** The pid tracing `pid` (Linux: TracerPid of /proc/PID/status), or null: not traced, gone, or not known on this OS. */
  tracer(pid: number): number | null;
  /** The soft and hard limit `name` of `pid` (Linux: /proc/PID/limits; unlimited is Infinity), or null where it cannot be read. */
  resourceLimit(pid: number, name: ResourceLimitName): { soft: number; hard: number } | null;
  /** An eventfd's own id (Linux ≥ 6.1: fdinfo `eventfd-id`), or null: not an eventfd, unknown, or not on this OS. */
  eventfdId(pid: number, fd: number): number | null;
  /**
   * One fd of `pid` exactly as inspect() shows it among the snapshot's fds (the same reader: Linux
   * /proc/PID/fd and fdinfo, macOS proc_pidfdinfo), or null when it is not open or cannot be read.
   */
  openFd(pid: number, fd: number): FdInfo | null;
}
