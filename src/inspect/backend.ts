import type { Snapshot } from './snapshot.js';

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
}
