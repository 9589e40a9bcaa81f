import { chainCalls, chainTo } from './chain.js';
import type { Trace, TraceEvent } from './types.js';

/*
 * Whether the daemon's chain set a piece of its state itself, by its system calls: a value equal
 * to the one its caller planted is then the program's choice (nginx's umask(0) under a caller with
 * umask 000), not inherited. A call that puts back what an earlier call read is no choice: redis
 * reads its umask with umask(0777) and restores it, so its umask is still the caller's.
 * Null when the daemon is not in the trace.
 */

/**
 * The successful calls named `names` that shaped what the daemon inherited, or null when it is not
 * in the trace: each link's calls until it forked the next one (what a parent does after that
 * fork is its own, not its child's), then the daemon's own. The chain's first process is the
 * launcher's fork until it execs the command: what it does before (bash setting the caller's
 * ignored signals to SIG_IGN again) is the caller's, not the program's. With `perThread` (the
 * signal mask, which each thread has its own of and a new thread copies from its creator), only
 * the thread that forked the next link counts, with the threads that made it up to the clone of
 * it, and of the daemon its main thread.
 */
function chainCallsNamed(trace: Trace, daemonPid: number, names: readonly string[], perThread = false): TraceEvent[] | null {
  const chain = chainTo(trace, daemonPid);
  if (chain.length === 0) return null;
  const calls = chainCalls(trace, chain);
  const processOf = new Map(trace.processes.filter((p) => p.thread && p.parent !== null).map((p) => [p.pid, p.parent!]));
  const forks = new Map<number, number>();
  /** Per thread (perThread): the index of the last call of it that shaped the daemon's mask. */
  const until = new Map<number, number>();
  chain.slice(1).forEach((child, i) => {
    const index = calls.findIndex((e) => FORKS.test(e.call) && e.result === child);
    if (index < 0) return;
    forks.set(chain[i]!, index);
    // The forking thread, and the threads that made it up to their clone of it: a thread starts with its creator's mask.
    for (let tid: number | undefined = calls[index]!.pid, at = index; tid !== undefined && !until.has(tid); ) {
      until.set(tid, at);
      const made = calls.findIndex((e) => FORKS.test(e.call) && e.result === tid);
      tid = made >= 0 ? calls[made]!.pid : undefined;
      at = made;
    }
  });
  const exec = calls.findIndex((e) => e.pid === chain[0] && (e.call === 'execve' || e.call === 'execveat') && e.errno === null);
  return calls.filter((e, i) => {
    const process = processOf.get(e.pid) ?? e.pid;
    const fork = forks.get(process);
    if (fork !== undefined && (i > fork || (perThread && !(i <= (until.get(e.pid) ?? -1))))) return false;
    if (perThread && process === daemonPid && e.pid !== daemonPid) return false;
    return (e.pid !== chain[0] || (exec >= 0 && i > exec)) && names.includes(e.call) && e.errno === null;
  });
}

const FORKS = /^(clone3?|v?fork)$/;

/** Whether the chain's last umask() set `value`, other than by putting back the mask an earlier umask() returned. */
export function umaskSetByChain(trace: Trace, daemonPid: number, value: number): boolean | null {
  const calls = chainCallsNamed(trace, daemonPid, ['umask']);
  if (calls === null) return null;
  const last = calls.at(-1);
  if (last === undefined || Number.parseInt(last.args[0] ?? '', 8) !== value) return false;
  return !calls.slice(0, -1).some((e) => e.result === value);
}

const IGNORE = /sa_handler=SIG_IGN\b/;

/** Whether the chain's last rt_sigaction() of `signal` (SIGPIPE) set SIG_IGN, other than by putting back SIG_IGN an earlier call read. */
export function ignoredByChain(trace: Trace, daemonPid: number, signal: string): boolean | null {
  const calls = chainCallsNamed(trace, daemonPid, ['rt_sigaction']);
  if (calls === null) return null;
  const of = calls.filter((e) => e.args[0] === signal);
  const last = of.at(-1);
  if (last === undefined || !IGNORE.test(last.args[1] ?? '')) return false;
  return !of.slice(0, -1).some((e) => IGNORE.test(e.args[2] ?? ''));
}

/** Whether the chain's last change of directory was a chdir() to a path (an fchdir() may put back the caller's directory). */
export function cwdSetByChain(trace: Trace, daemonPid: number): boolean | null {
  const calls = chainCallsNamed(trace, daemonPid, ['chdir', 'fchdir']);
  if (calls === null) return null;
  return calls.at(-1)?.call === 'chdir';
}

/** The signals a set names as strace prints it (`[PROF XCPU]`, without SIG); a complement (`~[RTMIN RT_1]`, "all but") names none. */
function namedIn(set: string | undefined): string[] {
  const m = /^\[([A-Z0-9_ ]*)\]$/.exec(set ?? '');
  return m ? m[1]!.split(' ').filter((s) => s !== '') : [];
}

/** Whether an rt_sigprocmask() call may change whether `short` (PROF) is blocked. */
function maskCallTouches(e: TraceEvent, short: string): boolean {
  if (e.args[0] === 'SIG_SETMASK') return true;
  const set = e.args[1] ?? '';
  return set.startsWith('~[') ? !namedIn(set.slice(1)).includes(short) : namedIn(set).includes(short);
}

/**
 * Whether the chain's last rt_sigprocmask() that could change `signal` (SIGPROF) was a SIG_BLOCK
 * naming it: the program blocks it on purpose (for sigwait or a signalfd). A SIG_SETMASK is
 * never counted: it may put back a mask read earlier (a read alone is not in the trace), and a
 * block of "all but" a few (around a fork) names nothing.
 */
export function blockedByChain(trace: Trace, daemonPid: number, signal: string): boolean | null {
  const calls = chainCallsNamed(trace, daemonPid, ['rt_sigprocmask'], true);
  if (calls === null) return null;
  const short = signal.replace(/^SIG/, '');
  const last = calls.filter((e) => maskCallTouches(e, short)).at(-1);
  return last !== undefined && last.args[0] === 'SIG_BLOCK' && namedIn(last.args[1]).includes(short);
}
