import { brief } from './brief.js';
import type { Trace, TraceEvent } from './types.js';

/**
 * A process's calls as a compact sequence: its threads' calls with its own, runs of the same
 * repetitive call folded into one step (`close ×1021`, `rt_sigaction ×31`), the steps that make
 * a daemon (fork, setsid, exec, umask, chdir, the end) marked as milestones.
 */

export interface Step {
  /** The first folded event's time (ms since the trace's start). */
  time: number;
  text: string;
  /** How many events the step folds (1: none folded). */
  count: number;
  milestone: boolean;
  /** The first event the step folds (a drawing reads its pid, call and result). */
  event: TraceEvent;
}

/** Calls a run of which folds into one step whatever their arguments. */
const FOLDED = new Set(['close', 'rt_sigaction', 'rt_sigprocmask']);
const MILESTONES = /^(clone3?|v?fork|setsid|execve|execveat|umask|chdir|fchdir|exit_group|exit|setuid|setgid|setresuid|setresgid)$/;

/** The pids of a process and (unless `threads` is false) its threads. */
function members(trace: Trace, pid: number, threads: boolean): Set<number> {
  const set = new Set([pid]);
  if (threads) for (const p of trace.processes) if (p.thread && p.parent === pid) set.add(p.pid);
  return set;
}

export interface SequenceOptions {
  /** Renders a pid (the docs use stable labels). @default String */
  name?: (pid: number) => string;
  /** Stop before the first event this returns true for. */
  until?: (event: TraceEvent) => boolean;
  /** Include the process's threads: their calls, and the clones that start them. @default true */
  threads?: boolean;
  /** Start at the first event this returns true for. @default the first event */
  since?: (event: TraceEvent) => boolean;
}

function key(event: TraceEvent, name: (pid: number) => string): string {
  return event.kind === 'call' && FOLDED.has(event.call) ? event.call : brief(event, name);
}

/** The steps of process `pid` (see SequenceOptions). */
export function sequence(trace: Trace, pid: number, options: SequenceOptions = {}): Step[] {
  const { name = String, until = () => false, threads = true, since = () => true } = options;
  const mine = members(trace, pid, threads);
  const threadIds = new Set(trace.processes.filter((p) => p.thread).map((p) => p.pid));
  let started = false;
  const steps: (Step & { key: string })[] = [];
  for (const event of trace.events) {
    if (!mine.has(event.pid)) continue;
    if (until(event)) break;
    started ||= since(event);
    if (!started) continue;
    if (!threads && event.kind === 'call' && event.result !== null && threadIds.has(event.result) && /^clone3?$/.test(event.call)) continue;
    const k = key(event, name);
    const last = steps[steps.length - 1];
    if (last && last.key === k) {
      last.count++;
      continue;
    }
    const milestone = event.kind !== 'call' || MILESTONES.test(event.call);
    steps.push({ key: k, event, time: event.time, text: brief(event, name), count: 1, milestone });
  }
  return steps.map(({ key: k, ...step }) => (step.count > 1 ? { ...step, text: `${k} ×${step.count}` } : step));
}

/** The processes (not threads) of the trace, each with its parent, launcher first. */
export function processTree(trace: Trace): { pid: number; parent: number | null }[] {
  return trace.processes.filter((p) => !p.thread).map(({ pid, parent }) => ({ pid, parent }));
}
