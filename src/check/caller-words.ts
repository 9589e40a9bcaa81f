import { type CallerSpec, NEUTRAL_CALLER, type StdioKind } from './caller-spec.js';
import { signalName } from '../ffi/constants.js';

const STDIO_WORDS: Record<StdioKind, string> = {
  tty: 'the terminal',
  closed: 'closed',
  devnull: '/dev/null',
  file: 'a file',
  pipe: 'a pipe',
};

const CWD_WORDS: Record<CallerSpec['cwd'], string> = {
  here: '',
  deep: 'the cwd a path of 2,400 characters',
  deleted: 'the cwd deleted',
  unreadable: 'the cwd without read permission',
};

const SIGRTMIN = 34;

/** SIGCHLD, SIGRTMIN+6 (glibc's SIGRTMIN is 34 on Linux). */
function name(signal: number): string {
  return signal > SIGRTMIN && signal < 64 && process.platform === 'linux' ? `SIGRTMIN+${signal - SIGRTMIN}` : signalName(signal);
}

function signals(list: readonly number[]): string {
  return list.map(name).join(', ');
}

/**
 * The caller in words: only what differs from a login shell's ("fd 1 closed, SIGCHLD ignored"),
 * the umask when it differs from `baseline.umask` and the subreaper when it differs from
 * `baseline.subreaper` (the plain caller's; default the neutral caller's).
 */
export function describeCaller(spec: CallerSpec, baseline: { umask?: number; subreaper?: boolean } = {}): string {
  const baselineUmask = baseline.umask;
  const parts: string[] = [];
  spec.stdio.forEach((kind, n) => {
    if (kind !== 'tty') parts.push(`fd ${n} ${kind === 'closed' ? 'closed' : `on ${STDIO_WORDS[kind]}`}`);
  });
  for (const f of spec.fds) {
    parts.push(`fd ${f.fd} open on ${f.kind === 'eventfd' ? 'an eventfd' : f.kind === 'tty' ? 'the terminal' : `a ${f.kind}`}${f.cloexec ? ' with FD_CLOEXEC' : ''}`);
  }
  if (spec.blocked.length > 0) parts.push(`${signals(spec.blocked)} blocked`);
  if (spec.ignored.length > 0) parts.push(`${signals(spec.ignored)} ignored`);
  if (spec.umask !== baselineUmask) parts.push(`umask ${spec.umask.toString(8).padStart(4, '0')}`);
  if (spec.cwd !== 'here') parts.push(CWD_WORDS[spec.cwd]);
  if (spec.envBytes > 0) parts.push(`${spec.envBytes} bytes of extra environment`);
  if (spec.nofile !== null) parts.push(`a soft RLIMIT_NOFILE of ${spec.nofile}`);
  if (spec.terminal === 'background') parts.push('in a background process group');
  if (spec.terminal === 'none') parts.push('without a controlling terminal');
  if (spec.sessionLeader) parts.push('the command a session leader');
  if (spec.subreaper !== (baseline.subreaper ?? NEUTRAL_CALLER.subreaper)) {
    parts.push(spec.subreaper ? 'a subreaper above it (orphans go to the checker, not PID 1)' : 'no subreaper above it (orphans go to PID 1)');
  }
  return parts.length === 0 ? 'nothing unusual' : parts.join(', ');
}
