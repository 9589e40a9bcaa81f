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
 * The successful calls named `names` the command made along the chain to the daemon, or null when
 * it is not in the trace. The chain's first process is the launcher's fork until it execs the
 * command: what it does before (bash setting the caller's ignored signals to SIG_IGN again) is the
 * caller's, not the program's.
 */
function chainCallsNamed(trace: Trace, daemonPid: number, names: readonly string[]): TraceEvent[] | null {
  const chain = chainTo(trace, daemonPid);
  if (chain.length === 0) return null;
  const calls = chainCalls(trace, chain);
  const exec = calls.findIndex((e) => e.pid === chain[0] && (e.call === 'execve' || e.call === 'execveat') && e.errno === null);
  return calls.filter((e, i) => (e.pid !== chain[0] || (exec >= 0 && i > exec)) && names.includes(e.call) && e.errno === null);
}

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
