import type { Trace, TraceEvent, TraceProcess } from './types.js';

/**
 * Parses the output of `strace -f -ttt -o FILE` (every line `PID SECONDS.MICROS text`) into
 * typed events. A call another process interrupted (`<unfinished ...>`) is joined with its
 * `<... NAME resumed>` line and recorded at its start. Lines of other shapes are skipped.
 */

const LINE = /^(\d+) +(\d+)\.(\d+) (.*)$/;
const RESULT = / += (-?\d+|0x[0-9a-f]+|\?)(?: ([A-Z][A-Z0-9_]+)(?: \(.*\))?)?(?: <[^>]*>)?$/;
const OPEN_CALLS = new Set(['open', 'openat', 'openat2', 'creat']);
/** Beyond this many events the rest is counted in `omitted` (a runtime closing a million fds). */
export const EVENT_LIMIT = 20_000;

/** Splits an argument list at top-level commas (outside quotes, brackets, braces and parentheses). */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '' || args.length > 0) args.push(last);
  return args;
}

function numberOf(text: string): number | null {
  if (text === '?') return null;
  // strace prints some results in octal (umask: `= 022`) and pointers in hex.
  const value = text.startsWith('0x') ? Number.parseInt(text, 16) : /^0[0-7]+$/.test(text) ? Number.parseInt(text, 8) : Number(text);
  return Number.isSafeInteger(value) ? value : null;
}

interface Raw {
  pid: number;
  seconds: number;
  text: string;
}

/** A complete call text `name(args) = result [ERRNO (...)]` as an event; null if it is not one. */
function callEvent(raw: Raw, text: string): Omit<TraceEvent, 'time'> & { seconds: number } | null {
  const open = text.indexOf('(');
  const result = RESULT.exec(text);
  if (open <= 0 || !result) return null;
  const call = text.slice(0, open);
  if (!/^[a-z_0-9]+$/.test(call)) return null;
  const close = text.lastIndexOf(')', result.index);
  const args = splitArgs(text.slice(open + 1, close < open ? result.index : close));
  const value = numberOf(result[1]!);
  return { pid: raw.pid, seconds: raw.seconds, kind: 'call', call, args, result: value, errno: result[2] ?? null };
}

function otherEvent(raw: Raw): Omit<TraceEvent, 'time'> & { seconds: number } | null {
  const base = { pid: raw.pid, seconds: raw.seconds, errno: null };
  const signal = /^--- (SIG[A-Z0-9+-]+) /.exec(raw.text);
  if (signal) return { ...base, kind: 'signal', call: signal[1]!, args: [], result: null };
  const exited = /^\+\+\+ exited with (\d+) \+\+\+$/.exec(raw.text);
  if (exited) return { ...base, kind: 'exit', call: 'exited', args: [], result: Number(exited[1]) };
  const killed = /^\+\+\+ killed by (SIG[A-Z0-9+-]+)/.exec(raw.text);
  if (killed) return { ...base, kind: 'exit', call: 'killed', args: [killed[1]!], result: null };
  return null;
}

/**
 * Whether an event is kept. Left out: calls that change nothing (a failed close or exec, a
 * rt_sigaction or rt_sigprocmask that only reads), opens that do not land on fd 0-2, and the
 * close of an fd such an open returned (the program's own file, not an inherited fd).
 * `own` holds, per process, the fds of opens left out.
 */
function kept(event: Omit<TraceEvent, 'time'>, own: Map<number, Set<number>>): boolean {
  if (event.kind !== 'call') return true;
  const mine = own.get(event.pid) ?? new Set<number>();
  own.set(event.pid, mine);
  if (OPEN_CALLS.has(event.call)) {
    if (event.result !== null && event.result >= 0 && event.result <= 2) return true;
    if (event.result !== null && event.result > 2) mine.add(event.result);
    return false;
  }
  if (event.call === 'close') {
    const fd = Number(event.args[0]);
    if (event.errno !== null) return false;
    return !mine.delete(fd);
  }
  if ((event.call === 'execve' || event.call === 'execveat') && event.errno !== null) return false;
  if (event.call === 'rt_sigaction' || event.call === 'rt_sigprocmask') return event.args[1] !== 'NULL';
  return true;
}

function isThreadClone(event: Omit<TraceEvent, 'time'>): boolean {
  return /^clone3?$/.test(event.call) && event.args.some((a) => a.includes('CLONE_THREAD'));
}

/** The processes, with parents from the fork/clone results; a thread's forks count as its process's. */
function processesOf(events: readonly Omit<TraceEvent, 'time'>[], order: readonly number[]): TraceProcess[] {
  const parent = new Map<number, { parent: number; thread: boolean }>();
  for (const e of events) {
    if (e.kind !== 'call' || !/^(clone3?|v?fork)$/.test(e.call) || e.result === null || e.result <= 0) continue;
    parent.set(e.result, { parent: e.pid, thread: isThreadClone(e) });
  }
  const leader = (pid: number): number => {
    let p = pid;
    for (let seen = 0; seen < 1000 && parent.get(p)?.thread; seen++) p = parent.get(p)!.parent;
    return p;
  };
  return order.map((pid) => {
    const link = parent.get(pid);
    return link ? { pid, parent: leader(link.parent), thread: link.thread } : { pid, parent: null, thread: false };
  });
}

/** Reads strace's output (see the module comment) into a Trace of the given calls. */
export function parseStrace(output: string, calls: readonly string[]): Trace {
  const pending = new Map<number, Raw>();
  const events: (Omit<TraceEvent, 'time'> & { seconds: number })[] = [];
  const order: number[] = [];
  const seen = new Set<number>();
  let omitted = 0;
  const own = new Map<number, Set<number>>();
  for (const line of output.split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const raw: Raw = { pid: Number(match[1]), seconds: Number(`${match[2]}.${match[3]}`), text: match[4]! };
    if (!seen.has(raw.pid)) {
      seen.add(raw.pid);
      order.push(raw.pid);
    }
    let event;
    const unfinished = / <unfinished \.\.\.>$/.exec(raw.text);
    const resumed = /^<\.\.\. ([a-z_0-9]+) resumed>(.*)$/.exec(raw.text);
    if (unfinished) {
      pending.set(raw.pid, { ...raw, text: raw.text.slice(0, unfinished.index) });
      continue;
    } else if (resumed) {
      const start = pending.get(raw.pid);
      pending.delete(raw.pid);
      event = start ? callEvent(start, `${start.text}${resumed[2]}`) : null;
    } else {
      event = callEvent(raw, raw.text) ?? otherEvent(raw);
    }
    if (!event) continue;
    if (!kept(event, own) || events.length >= EVENT_LIMIT) omitted++;
    else events.push(event);
  }
  // A call joined with its resumption is recorded at its start: put the events back in time order.
  events.sort((a, b) => a.seconds - b.seconds);
  const origin = events[0]?.seconds ?? 0;
  const timed = events.map(({ seconds, ...e }): TraceEvent => ({ ...e, time: Math.round((seconds - origin) * 1e6) / 1e3 }));
  return { tool: 'strace', calls: [...calls], processes: processesOf(timed, order), events: timed, omitted };
}
