import { commandLine, processSummary } from '../inspect/processes.js';
import type { SpawnRequest } from '../ffi/spawn.js';
import type { StartPlan } from './validate.js';

/*
 * The process chain. Every process comes from posix_spawn (fork() from Node kills the child:
 * spec/posix/fork-from-node.test.ts). The original spawns `/bin/sh -c OUTER` as a new session
 * leader with an empty signal mask, every disposition default and every other fd closed. The outer
 * sh runs the inner `sh -c` as a FOREGROUND command: the inner writes `pid $$` on the status pipe
 * and execs the target, which is therefore in the outer's session without leading it, so it can
 * never acquire a controlling terminal (the second fork of the classic recipe). The original then
 * SIGKILLs and reaps the outer; the daemon is reparented to init or the nearest subreaper.
 *
 * Why sh as the intermediate: a dash start costs about 1 ms here, a Node re-exec about 40 ms
 * (scripts/bench-daemonize.mjs measures the whole start), and a shell gives fork + exec + umask
 * without any JavaScript running in a forked child. The inner is not started with `&`: a
 * non-interactive sh sets SIGINT and SIGQUIT to SIG_IGN in asynchronous lists, and ignored
 * dispositions survive exec. A foreground child of dash starts with an empty mask, nothing ignored.
 */

export const SH = '/bin/sh';
/** $0 of the inner sh; it also identifies the inner in /proc/PID/cmdline before the exec. */
export const INNER_NAME = 'daemonspec-exec';

export interface ChainFds {
  /** Readiness pipe (write end) in the chain. */
  status: number;
  /** Pidfile lock fd in the daemon, or null without a pidfile. */
  lock: number | null;
}

/** Picks fd numbers ≥ 3 for the internal fds that collide neither with keepFds nor with the sources of dup2. */
export function chooseFds(keepFds: readonly number[], sources: readonly number[], withLock: boolean): ChainFds {
  const taken = new Set([...keepFds, ...sources]);
  const free = (): number => {
    let fd = 3;
    while (taken.has(fd)) fd++;
    taken.add(fd);
    return fd;
  };
  const status = free();
  return { status, lock: withLock ? free() : null };
}

/**
 * The inner script: report the pid, then become the target. A Node daemon keeps the status fd
 * (it reports ready/fail itself); any other program gets it closed before the exec, so the pipe
 * never leaks into it. sh always exports PWD (set to the daemon's cwd); when the requested
 * environment has no PWD (clearEnv, or env: { PWD: null }) it is unset again before the exec.
 */
export function innerScript(statusFd: number, keepStatus: boolean, keepPwd = true): string {
  return `echo "pid $$" >&${statusFd}; ${keepPwd ? '' : 'unset PWD; '}exec "$@"${keepStatus ? '' : ` ${statusFd}>&-`}`;
}

export function outerScript(umask: number, inner: string, statusFd: number): string {
  const quoted = `'${inner.replace(/'/g, `'\\''`)}'`;
  return [`umask ${umask.toString(8).padStart(4, '0')}`, `${SH} -c ${quoted} ${INNER_NAME} "$@"`, `echo "exit $?" >&${statusFd}`].join('\n');
}

export interface ChainSources {
  stdoutFd: number;
  stderrFd: number;
  statusWriteFd: number;
  lockFd: number | null;
}

/** The posix_spawn request for the outer sh. */
export function chainRequest(plan: StartPlan, target: readonly string[], fds: ChainFds, sources: ChainSources, inner: string, env: Record<string, string>): SpawnRequest {
  const fileActions: SpawnRequest['fileActions'] = [
    { op: 'open', fd: 0, path: '/dev/null', flags: 0 /* O_RDONLY */ },
    { op: 'dup2', from: sources.stdoutFd, to: 1 },
    { op: 'dup2', from: sources.stderrFd, to: 2 },
    { op: 'dup2', from: sources.statusWriteFd, to: fds.status },
    ...(fds.lock !== null && sources.lockFd !== null ? [{ op: 'dup2' as const, from: sources.lockFd, to: fds.lock }] : []),
  ];
  return {
    path: SH,
    argv: [SH, '-c', outerScript(plan.umask, inner, fds.status), 'daemonspec', ...target],
    env,
    fileActions,
    cwd: plan.cwd,
    setsid: true,
    blockedSignals: [],
    defaultSignals: 'all',
    closeOtherFds: true,
    keepFds: plan.keepFds,
  };
}

/** Where the inner sh is: still itself (or setpriv on the way), exec'd into the target, or gone. */
export function execState(pid: number, inner: string): 'before' | 'execed' | 'gone' {
  const summary = processSummary(pid);
  if (summary === null || summary.state === 'Z') return 'gone';
  const argv = commandLine(pid);
  if (argv === null || argv.length === 0) return 'before'; // unreadable for a moment: ask again
  if (argv[0] === SH && argv[1] === '-c' && argv[2] === inner && argv[3] === INNER_NAME) return 'before';
  if (argv[0] === SETPRIV_PATH) return 'before';
  return 'execed';
}

export const SETPRIV_PATH = '/usr/bin/setpriv';
