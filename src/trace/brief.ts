import type { TraceEvent } from './types.js';

/**
 * One event in a few characters, as the text report and docs/conformance.md show it:
 * `setsid() = 4711`, `dup2(3, 0)`, `execve("/usr/bin/sleep")`, `clone → 4712`,
 * `rt_sigaction(SIGHUP, SIG_DFL)`, `--- SIGHUP`, `+++ exited 0`. `name` renders a pid (the docs
 * replace pids by stable labels).
 */

const PID_RESULTS = new Set(['clone', 'clone3', 'fork', 'vfork', 'setsid']);
/** Calls whose return value says nothing worth a glance when they succeed. */
const QUIET_RESULTS = new Set(['close', 'dup2', 'dup3', 'chdir', 'fchdir', 'close_range', 'rt_sigaction', 'rt_sigprocmask', 'setpgid', 'prctl', 'execve', 'execveat']);

function shortArgs(event: TraceEvent): string[] {
  const a = event.args;
  switch (event.call) {
    case 'execve':
    case 'execveat':
      return a.slice(event.call === 'execve' ? 0 : 1, event.call === 'execve' ? 1 : 2);
    case 'clone':
    case 'clone3':
    case 'fork':
    case 'vfork':
      return [];
    case 'open':
    case 'creat':
      return a.slice(0, 1);
    case 'openat':
    case 'openat2':
      return a.slice(1, 2);
    case 'rt_sigaction': {
      const handler = /sa_handler=([^,}]+)/.exec(a[1] ?? '');
      // A handler's address differs on every run: `handler` says it is caught.
      const what = handler ? (handler[1]!.startsWith('0x') ? 'handler' : handler[1]!) : (a[1] ?? '');
      return [a[0] ?? '', what];
    }
    case 'rt_sigprocmask':
      return a.slice(0, 2);
    case 'prctl':
      return a.slice(0, 2);
    default:
      return a.map((arg) => (arg.length > 40 ? `${arg.slice(0, 39)}…` : arg));
  }
}

export function brief(event: TraceEvent, name: (pid: number) => string = String): string {
  if (event.kind === 'signal') return `--- ${event.call}`;
  if (event.kind === 'exit') return event.call === 'exited' ? `+++ exited ${event.result}` : `+++ killed by ${event.args[0]}`;
  if (PID_RESULTS.has(event.call) && event.result !== null && event.result > 0 && event.call !== 'setsid') {
    return `${event.call} → ${name(event.result)}`;
  }
  const call = `${event.call}(${shortArgs(event).join(', ')})`;
  if (event.errno !== null) return `${call} = -1 ${event.errno}`;
  if (event.result === null || QUIET_RESULTS.has(event.call)) return call;
  if (event.call === 'umask') return `${call} = 0${event.result.toString(8).padStart(3, '0')}`;
  return `${call} = ${PID_RESULTS.has(event.call) ? name(event.result) : event.result}`;
}
