import { brief } from './brief.js';
import { at, chainCalls, chainText, chainTo } from './chain.js';
import type { Trace, TraceEvent } from './types.js';

/**
 * What a trace says about one piece of the daemon's state, in one clause a rule appends to its
 * verdict ("trace: no umask() in pids 4711 → 4713 before the exec of /usr/bin/sleep"). Null when
 * the daemon is not in the trace.
 */

function quoted(arg: string | undefined): string {
  return (arg ?? '').replace(/^"|"$/g, '');
}

/** " before the exec of PATH" when the chain's last successful execve is the daemon's own, else "". */
function beforeExec(calls: readonly TraceEvent[], daemonPid: number): string {
  const exec = calls.filter((e) => (e.call === 'execve' || e.call === 'execveat') && e.errno === null).pop();
  return exec && exec.pid === daemonPid ? ` before the exec of ${quoted(exec.call === 'execve' ? exec.args[0] : exec.args[1])}` : '';
}

function cite(event: TraceEvent): string {
  return `${brief(event)} in pid ${event.pid} at ${at(event)}`;
}

/**
 * The last of `names` called along the chain, or that none was ("no umask() in ... before the
 * exec of ..."). `what` names the call in the sentence.
 */
export function citeCall(
  trace: Trace,
  daemonPid: number,
  names: readonly string[],
  what: string,
  which: (event: TraceEvent) => boolean = () => true,
): string | null {
  const chain = chainTo(trace, daemonPid);
  if (chain.length === 0) return null;
  const calls = chainCalls(trace, chain);
  const last = calls.filter((e) => names.includes(e.call) && e.errno === null && which(e)).pop();
  return last ? `trace: ${cite(last)}` : `trace: no ${what} in ${chainText(chain)}${beforeExec(calls, daemonPid)}`;
}

function numberArg(arg: string | undefined): number | null {
  if (arg === undefined) return null;
  if (arg === '~0' || arg === '~0U') return Number.MAX_SAFE_INTEGER;
  const value = Number(arg);
  return Number.isFinite(value) ? value : null;
}

/** Whether the call closed or replaced `fd` (and so decided what is on it). */
function touches(event: TraceEvent, fd: number): boolean {
  if (event.errno !== null) return false;
  switch (event.call) {
    case 'close':
      return numberArg(event.args[0]) === fd;
    case 'dup2':
    case 'dup3':
      return numberArg(event.args[1]) === fd;
    case 'close_range': {
      const low = numberArg(event.args[0]);
      const high = numberArg(event.args[1]);
      return low !== null && high !== null && low <= fd && fd <= high && !(event.args[2] ?? '').includes('CLOSE_RANGE_CLOEXEC');
    }
    case 'open':
    case 'openat':
    case 'openat2':
    case 'creat':
      return event.result === fd;
    default:
      return false;
  }
}

/**
 * Which call last closed or replaced `fd` along the chain ("trace: dup2(3, 0) in pid 4713 at
 * +4.120 ms"), or that none did, naming a close_range() that stopped short of it.
 */
export function citeFd(trace: Trace, daemonPid: number, fd: number): string | null {
  const chain = chainTo(trace, daemonPid);
  if (chain.length === 0) return null;
  const calls = chainCalls(trace, chain);
  const last = calls.filter((e) => touches(e, fd)).pop();
  if (last) return `trace: fd ${fd} was last changed by ${cite(last)}`;
  const ranges = calls.filter((e) => e.call === 'close_range' && e.errno === null);
  const short = ranges.length > 0 ? `; ${ranges.map((e) => brief(e)).join(', ')} did not cover it` : '';
  return `trace: no close(${fd}), dup2() onto ${fd} or close_range() over it in ${chainText(chain)}${beforeExec(calls, daemonPid)}${short}`;
}

/** A rule's failing message with the trace's clause appended, when there is one. */
export function withCitation(message: string, citation: string | null): string {
  return citation === null ? message : `${message}; ${citation}`;
}
