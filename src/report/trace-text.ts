import type { Trace } from '../trace/types.js';
import { processTree, sequence, type Step } from '../trace/sequence.js';
import { visible } from './format.js';

/**
 * The trace as text: one block per process, launcher first, each a compact sequence of its
 * calls (milestones with their time in ms since the launcher's exec), wrapped at `width`.
 */

const WIDTH = 110;

function stepText(step: Step): string {
  return step.milestone ? `+${step.time.toFixed(3)} ${visible(step.text)}` : visible(step.text);
}

/** `head` then the steps joined by ` · `, wrapped at `width` under the head's indentation. */
export function wrap(head: string, steps: readonly string[], width: number): string[] {
  const lines: string[] = [];
  const indent = ' '.repeat(head.length);
  let line = head;
  for (const [i, step] of steps.entries()) {
    const piece = i === 0 ? step : ` · ${step}`;
    if (line.length + piece.length > width && line !== head) {
      lines.push(line);
      line = `${indent}${step}`;
    } else {
      line += piece;
    }
  }
  lines.push(line);
  return lines;
}

/** A process's role in the check: the launcher, the command's original process, the daemon. */
function roleOf(pid: number, launcher: number | undefined, original: number | undefined, daemonPid: number | null): string {
  if (pid === launcher) return ' (launcher)';
  if (pid === original) return ' (the command)';
  if (pid === daemonPid) return ' (the daemon)';
  return '';
}

export function traceLines(trace: Trace, daemonPid: number | null, width = WIDTH): string[] {
  const tree = processTree(trace);
  const launcher = tree[0]?.pid;
  const original = tree.find((p) => p.parent === launcher)?.pid;
  const lines = [
    `trace (strace; ${tree.length} processes, ${trace.events.length} events, ${trace.omitted} left out; ms since the launcher's exec):`,
  ];
  for (const { pid, parent } of tree) {
    const head = `  ${pid}${parent === null ? '' : ` ← ${parent}`}${roleOf(pid, launcher, original, daemonPid)}: `;
    lines.push(...wrap(head, sequence(trace, pid).map(stepText), width));
  }
  return lines;
}
