import type { Trace, TraceEvent } from './types.js';

/**
 * Reading a trace along the daemon's ancestry: the chain of processes from the command's
 * original process (the launcher's child) down to the daemon, and the calls they made. The
 * launcher's own calls (the caller's traps: its umask, its ignored signals) are not the chain's.
 */

/** The pids from the original process to the daemon (launcher excluded); [] when the daemon is not in the trace. */
export function chainTo(trace: Trace, daemonPid: number): number[] {
  const parent = new Map(trace.processes.map((p) => [p.pid, p.parent]));
  const launcher = trace.processes[0]?.pid;
  if (!parent.has(daemonPid) || launcher === undefined) return [];
  const chain: number[] = [];
  for (let pid: number | null | undefined = daemonPid; pid !== null && pid !== undefined && pid !== launcher; pid = parent.get(pid)) {
    if (chain.includes(pid)) return [];
    chain.unshift(pid);
  }
  return chain;
}

/** The calls (kind `call`) of the chain's processes and their threads, in time order. */
export function chainCalls(trace: Trace, chain: readonly number[]): TraceEvent[] {
  const members = new Set(chain);
  for (const p of trace.processes) if (p.thread && p.parent !== null && members.has(p.parent)) members.add(p.pid);
  return trace.events.filter((e) => e.kind === 'call' && members.has(e.pid));
}

/** `4711 → 4712 → 4713`: the chain as the citations print it. */
export function chainText(chain: readonly number[]): string {
  return chain.length === 1 ? `pid ${chain[0]}` : `pids ${chain.join(' → ')}`;
}

/** `+12.345 ms`: an event's time as the citations print it. */
export function at(event: TraceEvent): string {
  return `+${event.time.toFixed(3)} ms`;
}
