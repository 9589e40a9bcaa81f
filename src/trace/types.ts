/**
 * A system-call trace of a check (`check --trace`, Linux, strace): the calls that make a daemon,
 * for every process from the launcher down. Part of the check report (`CheckReport.trace`).
 */

/** One line of the trace: a system call that returned, a signal delivered, or a process's end. */
export interface TraceEvent {
  /** The process (or thread) id, as strace saw it. */
  pid: number;
  /** Milliseconds since the first event of the trace (the launcher's exec), microsecond resolution. */
  time: number;
  /**
   * - `call`: a system call; `call` is its name, `args` its arguments as strace printed them.
   * - `signal`: a signal delivered to the process; `call` is the signal name (SIGHUP...).
   * - `exit`: the process ended; `call` is `exited` (result: the status) or `killed` (args: [signal]).
   */
  kind: 'call' | 'signal' | 'exit';
  call: string;
  /** The arguments split at top-level commas, each as strace printed it (`"/dev/null"`, `O_RDWR`, `022`). */
  args: string[];
  /** The return value; null when there is none (`= ?`: exit, a successful execve's caller) or it is not a number. */
  result: number | null;
  /** The errno name when the call failed (`EBADF`), else null. */
  errno: string | null;
}

/** A process (or thread) of the trace and where it came from. */
export interface TraceProcess {
  pid: number;
  /** The process that forked it (for a thread: its process); null for the launcher (the first process). */
  parent: number | null;
  /** True for a thread (clone with CLONE_THREAD): its calls are its process's. */
  thread: boolean;
}

export interface Trace {
  tool: 'strace';
  /** The system calls traced (strace -e trace=...). */
  calls: string[];
  /** The processes in order of their first appearance; the first is the launcher. */
  processes: TraceProcess[];
  /** Every event in the order strace wrote them (time order). */
  events: TraceEvent[];
  /**
   * Events left out: calls that change nothing (a failed close() or execve(), a rt_sigaction()
   * or rt_sigprocmask() that only reads), opens that did not land on fd 0, 1 or 2 and the
   * close() of the fd such an open returned, and anything past 20000 events.
   */
  omitted: number;
}
