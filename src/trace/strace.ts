import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { DaemonspecError } from '../errors.js';
import { kill, reapNow } from '../ffi/libc.js';
import { parseStrace } from './parse.js';
import type { Trace } from './types.js';

/**
 * Runs the launcher under strace (Linux): `strace -DDD -f` makes the tracer a detached
 * grandchild in its own session, so the launcher keeps its pid, its session and its terminal
 * and the command's process tree is what it is without a trace; every process from the
 * launcher down is followed. The tracer ends when the last traced process has ended.
 */

/** The calls that make a daemon (opens are kept only when they land on fd 0, 1 or 2). */
export const TRACED_CALLS = [
  'fork', 'vfork', 'clone', 'clone3', 'execve', 'execveat', 'exit', 'exit_group',
  'setsid', 'setpgid', 'umask', 'chdir', 'fchdir',
  'dup2', 'dup3', 'close', 'close_range', 'open', 'openat', 'openat2', 'creat',
  'rt_sigprocmask', 'rt_sigaction', 'prctl',
  'setuid', 'setgid', 'setgroups', 'setreuid', 'setregid', 'setresuid', 'setresgid',
] as const;

/** The value of the check's marker in the tracer's own environment: another check's, so never taken for a daemon of this one. */
export const TRACER_MARKER = 'daemonspec-tracer';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The strace on PATH, or null. */
export function findStrace(path: string | undefined = process.env.PATH): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir !== '' && executable(join(dir, 'strace'))) return join(dir, 'strace');
  }
  return null;
}

/**
 * Whether a trace can be taken here: Linux, strace on PATH, and ptrace permitted (strace -DDD
 * traces /bin/true: a container without CAP_SYS_PTRACE or a Yama policy refuses it). The reason says
 * what to do.
 */
export function traceAvailability(path: string | undefined = process.env.PATH): { strace: string } | { reason: string } {
  if (process.platform !== 'linux') return { reason: `tracing needs Linux and strace; this is ${process.platform}: run the check without --trace` };
  const strace = findStrace(path);
  if (strace === null) return { reason: 'strace is not on PATH: install it (apt-get install strace) or run the check without --trace' };
  // The way the check runs it: -DDD, the tracer attaching to its own ancestor.
  const probe = spawnSync(strace, ['-DDD', '-qq', '-o', '/dev/null', '-e', 'trace=none', '--', '/bin/true'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.status !== 0) {
    const why = (probe.stderr ?? '').trim().split('\n')[0] || probe.error?.message || `exit status ${probe.status}`;
    return {
      reason: `ptrace is not permitted here (${strace}: ${why}): give the container CAP_SYS_PTRACE (docker run --cap-add SYS_PTRACE) or run the check without --trace`,
    };
  }
  return { strace };
}

/** The strace path, or a DaemonspecError (EUNSUPPORTED: exit 2 before anything starts) saying why not. */
export function requireStrace(path?: string): string {
  const availability = traceAvailability(path);
  if ('reason' in availability) throw new DaemonspecError('EUNSUPPORTED', `--trace: ${availability.reason}`);
  return availability.strace;
}

export interface TracedSpawn {
  path: string;
  argv: string[];
  env: Record<string, string>;
}

/**
 * The spawn of `path argv` under strace, writing to `output`. The marker variable, if set, is
 * given to the traced program only (strace -E); the tracer carries TRACER_MARKER instead.
 */
export function tracedSpawn(strace: string, output: string, marker: string, spawn: TracedSpawn): TracedSpawn {
  const value = spawn.env[marker];
  return {
    path: strace,
    argv: [
      'strace', '-DDD', '-f', '-q', '-ttt', '-I1', '-s', '256', '-o', output,
      '-e', `trace=${TRACED_CALLS.join(',')}`, '-e', 'signal=!SIGCHLD',
      ...(value === undefined ? [] : ['-E', `${marker}=${value}`]),
      '--', spawn.path, ...spawn.argv.slice(1),
    ],
    env: { ...spawn.env, [marker]: TRACER_MARKER },
  };
}

function gone(pid: number): boolean {
  try {
    if (reapNow(pid) !== null) return true; // our child (adopted as subreaper): reaped now
  } catch {
    // not our child: it is gone when kill(0) says so
  }
  try {
    return !kill(pid, 0);
  } catch {
    return false; // EPERM: it exists
  }
}

/**
 * Waits for the tracer to end (it does when every traced process has), SIGTERM at the deadline
 * (it then detaches and writes what it has), and parses its output. `tracer` null: read what is there.
 */
export async function finishTrace(tracer: number | null, output: string, deadline: number): Promise<Trace> {
  // SIGTERM at the deadline, SIGKILL 2 s later, and give up 1 s after that (a zombie not ours to reap).
  const steps: [number, number][] = [[deadline, 15], [deadline + 2000, 9], [deadline + 3000, 0]];
  while (tracer !== null && !gone(tracer)) {
    const due = steps[0];
    if (due && Date.now() >= due[0]) {
      steps.shift();
      if (due[1] === 0) break;
      kill(tracer, due[1]);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  let text = '';
  try {
    text = readFileSync(output, 'utf8');
  } catch {
    // strace wrote nothing
  }
  return parseStrace(text, TRACED_CALLS);
}
