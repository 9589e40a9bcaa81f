import { sequence, type Step } from '../../trace/sequence.js';
import type { Trace } from '../../trace/types.js';
import type { Lifeline } from './sequence-lifelines.js';

/**
 * What each row of a trace's sequence diagram shows: the steps of the text's compact sequences
 * (runs of one call folded, `close ×1021`) of every lifeline, merged in the order of their times,
 * each said to be a plain call, a milestone (a step that makes a daemon, as the text marks them
 * with their time), a signal, a process's end, or a fork into another lifeline.
 */

/**
 * - `call`, `milestone` (fork, setsid, exec, umask, chdir, set*id, exit: the text's milestones);
 * - `signal`: a signal delivered; `end`: the process's end, `+++ exited 0`;
 * - `fork`: an arrow to lifeline `to` (a fork of a process; a thread's start is a `call`).
 */
export type StepKind = 'call' | 'milestone' | 'signal' | 'fork' | 'end';

export interface DiagramStep {
  /** The index of the lifeline whose step it is. */
  lane: number;
  kind: StepKind;
  /** ms since the launcher's exec (the step's first event). */
  time: number;
  /** The text's step (`setsid() = 4253`, `close ×2`), `(thread)` added to a thread's start and end. */
  text: string;
  /** For a fork: the child's lifeline. */
  to?: number;
  /** The last step of a process the trace saw end: where its lifeline ends. */
  final: boolean;
}

const FORKS = /^(clone3?|v?fork)$/;

interface Merged {
  lane: number;
  step: Step;
  final: boolean;
}

/** Every lifeline's steps merged in time order (ties keep lifeline order). */
function merged(trace: Trace, lanes: readonly Lifeline[]): Merged[] {
  const all = lanes.flatMap((l, lane) => {
    const steps = sequence(trace, l.pid);
    return steps.map((step, i) => ({ lane, step, final: l.ended && i === steps.length - 1 }));
  });
  return all.sort((a, b) => a.step.time - b.step.time);
}

/** A thread's start, and its end, exit or signal (its process goes on), are plain calls named as the thread's. */
function asThread({ step, final }: Merged, threads: ReadonlySet<number>): string | null {
  const e = step.event;
  if (final) return null;
  const ends = e.kind !== 'call' || e.call === 'exit' || e.call === 'exit_group';
  if (threads.has(e.pid) && ends) return `${step.text} (thread)`;
  if (e.kind === 'call' && FORKS.test(e.call) && e.result !== null && threads.has(e.result)) return `${step.text} (thread)`;
  return null;
}

function classify(m: Merged, laneOf: ReadonlyMap<number, number>, threads: ReadonlySet<number>): DiagramStep {
  const { step, lane, final } = m;
  const e = step.event;
  const base = { lane, time: step.time, text: step.text, final };
  const thread = asThread(m, threads);
  if (thread !== null) return { ...base, kind: 'call', text: thread };
  if (e.kind === 'signal') return { ...base, kind: 'signal' };
  if (e.kind === 'exit') return { ...base, kind: 'end' };
  const to = FORKS.test(e.call) && e.result !== null && e.errno === null && step.count === 1 ? laneOf.get(e.result) : undefined;
  if (to !== undefined) return { ...base, kind: 'fork', to };
  return { ...base, kind: step.milestone ? 'milestone' : 'call' };
}

/** The steps of `lanes` (lifelines of `trace`), in time order. */
export function diagramSteps(trace: Trace, lanes: readonly Lifeline[]): DiagramStep[] {
  const laneOf = new Map(lanes.map((l, i) => [l.pid, i]));
  const threads = new Set(trace.processes.filter((p) => p.thread).map((p) => p.pid));
  return merged(trace, lanes).map((m) => classify(m, laneOf, threads));
}
