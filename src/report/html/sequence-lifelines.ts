import { chainTo } from '../../trace/chain.js';
import type { Trace } from '../../trace/types.js';

/**
 * The lifelines of a trace's sequence diagram: one per process (threads are their process's),
 * in the order a reader follows the daemon's making: the launcher first, then depth first with
 * the chain's child before its siblings, so the columns run launcher → original → intermediates
 * → daemon, and processes off the chain stand to the right of their parent's subtree.
 */

/**
 * A process's part in the check, as the process tree names it: the launcher (the login shell),
 * the command's original process, the processes between, the daemon, and anything else the
 * launcher or the chain started ("off the chain").
 */
export type Role = 'launcher' | 'original' | 'intermediate' | 'daemon' | 'original = daemon' | 'off the chain';

export interface Lifeline {
  pid: number;
  /** The process that forked it (a thread's fork is its process's); null for the launcher and any orphan. */
  parent: number | null;
  role: Role;
  /** The basenames of the programs it executed, in order ([] when it never exec'd). */
  programs: string[];
  /** True when the trace saw the process itself end (exit or killed). */
  ended: boolean;
}

/** The process a pid belongs to: itself, or for a thread the process that started it. */
export function ownerOf(trace: Trace): (pid: number) => number {
  const threadParent = new Map(trace.processes.filter((p) => p.thread && p.parent !== null).map((p) => [p.pid, p.parent!]));
  return (pid) => {
    let owner = pid;
    for (let hops = 0; threadParent.has(owner) && hops < 64; hops++) owner = threadParent.get(owner)!;
    return owner;
  };
}

function roles(trace: Trace, daemonPid: number | null, parents: Map<number, number | null>): Map<number, Role> {
  const launcher = trace.processes[0]?.pid;
  const chain = (daemonPid === null ? [] : chainTo(trace, daemonPid)).filter((pid) => parents.has(pid));
  const out = new Map<number, Role>([...parents.keys()].map((pid) => [pid, 'off the chain']));
  if (launcher !== undefined) out.set(launcher, 'launcher');
  if (chain.length === 0) {
    // No daemon in the trace: the launcher's first child is still the command's original process.
    const original = [...parents].find(([, parent]) => parent === launcher)?.[0];
    if (original !== undefined) out.set(original, 'original');
    return out;
  }
  chain.forEach((pid, i) => out.set(pid, i === 0 ? 'original' : 'intermediate'));
  out.set(chain[chain.length - 1]!, chain.length === 1 ? 'original = daemon' : 'daemon');
  return out;
}

/** `"/usr/bin/setsid"` → `setsid`. */
function basename(arg: string | undefined): string {
  const path = arg !== undefined && arg.startsWith('"') ? arg.slice(1, arg.endsWith('"') ? -1 : undefined) : (arg ?? '?');
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

function programs(trace: Trace, owner: (pid: number) => number): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const e of trace.events) {
    if (e.kind !== 'call' || e.errno !== null || (e.call !== 'execve' && e.call !== 'execveat')) continue;
    const pid = owner(e.pid);
    out.set(pid, [...(out.get(pid) ?? []), basename(e.call === 'execve' ? e.args[0] : e.args[1])]);
  }
  return out;
}

/** Depth first from each root (the launcher, then orphans), the chain's child before its siblings. */
function order(parents: Map<number, number | null>, role: Map<number, Role>): number[] {
  const children = new Map<number | null, number[]>();
  for (const [pid, parent] of parents) {
    const key = parent !== null && parents.has(parent) ? parent : null;
    children.set(key, [...(children.get(key) ?? []), pid]);
  }
  const onChain = (pid: number): number => (role.get(pid) === 'off the chain' ? 1 : 0);
  const out: number[] = [];
  const visit = (pid: number): void => {
    out.push(pid);
    const kids = [...(children.get(pid) ?? [])].sort((a, b) => onChain(a) - onChain(b));
    for (const kid of kids) visit(kid);
  };
  for (const root of children.get(null) ?? []) visit(root);
  return out;
}

/** The lifelines of `trace`, launcher first; `daemonPid` names the daemon (null: none found). */
export function lifelines(trace: Trace, daemonPid: number | null): Lifeline[] {
  const owner = ownerOf(trace);
  const parents = new Map<number, number | null>(
    trace.processes.filter((p) => !p.thread).map((p) => [p.pid, p.parent === null ? null : owner(p.parent)]),
  );
  const role = roles(trace, daemonPid, parents);
  const ran = programs(trace, owner);
  const ended = new Set(trace.events.filter((e) => e.kind === 'exit').map((e) => e.pid));
  return order(parents, role).map((pid) => ({
    pid,
    parent: parents.get(pid) ?? null,
    role: role.get(pid)!,
    programs: ran.get(pid) ?? [],
    ended: ended.has(pid),
  }));
}
