import { DaemonspecError } from '../errors.js';
import { commandLine, processSummary } from '../inspect/processes.js';
import { O } from '../ffi/constants.js';
import type { SpawnRequest } from '../ffi/spawn.js';
import type { StartPlan } from './start-plan.js';

/*
 * The process chain. Every process comes from posix_spawn (fork() from Node kills the child:
 * spec/posix/fork-from-node.test.ts). The original spawns `/bin/sh -c OUTER` as a new session
 * leader with an empty signal mask, every disposition default and every other fd closed. The outer
 * sh runs the inner `sh -c` as a FOREGROUND command: the inner writes `pid $$` on the status pipe,
 * waits for `go` on the go pipe and execs the target, which is therefore in the outer's session
 * without leading it, so it can never acquire a controlling terminal (the second fork of the
 * classic recipe). The original then SIGKILLs and reaps the outer; the daemon is reparented to
 * init or the nearest subreaper.
 *
 * A starter killed at any instant (issue 13) leaves either the daemon named by its pidfile or
 * nothing: the original writes `go` only after the pidfile names the inner's pid, and it alone
 * holds the go pipe's write end, so its death before that is an end of file that makes the inner
 * exit without exec'ing. The outer sh dies with the original (src/daemon/parent-death.ts): it
 * holds the life line's read end, which the inner does not get.
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
  /** Go pipe (read end) in the chain: `go` once the pidfile names the daemon, end of file if the original died. */
  go: number;
  /** Pidfile lock fd in the daemon, or null without a pidfile. */
  lock: number | null;
  /** The life line's read end in the outer sh (parent-death.ts), or null where there is none. */
  life: number | null;
}

/**
 * The chain's scripts name fds by one digit: dash reads `10<&-` as the word `10` and `<&-`. The
 * fds they name (status, go, the life line) must be below this; the lock fd is never named.
 */
export const SHELL_FD_LIMIT = 10;

/** How many fds between 3 and 9 the chain's scripts name: status, go and, with a life line, its fd. */
export function namedFdCount(withLife: boolean): number {
  return withLife ? 3 : 2;
}

/**
 * Picks fd numbers ≥ 3 for the internal fds that collide neither with keepFds nor with the sources
 * of dup2: first those the scripts name, which must stay below 10 (validate.ts refuses keepFds that
 * leave too few), then the lock.
 */
export function chooseFds(keepFds: readonly number[], sources: readonly number[], withLock: boolean, withLife: boolean): ChainFds {
  const taken = new Set([...keepFds, ...sources]);
  const free = (): number => {
    let fd = 3;
    while (taken.has(fd)) fd++;
    taken.add(fd);
    return fd;
  };
  const status = free();
  const go = free();
  const life = withLife ? free() : null;
  if (Math.max(status, go, life ?? 0) >= SHELL_FD_LIMIT) {
    throw new DaemonspecError('EUSAGE', `the start needs ${namedFdCount(withLife)} free fds between 3 and 9 for its own pipes (/bin/sh names fds 0-9 only), and kept fds and this process's own take them: keep fewer fds below 10, or dup them to 10 or above first`).markRefused();
  }
  return { status, go, life, lock: withLock ? free() : null };
}

/** The inner sh's exit status when the original went away before saying `go`. */
export const NO_GO_STATUS = 125;

/**
 * The inner script: report the pid, wait for `go` (the pidfile names this pid now), then become
 * the target; an end of file instead of `go` means the original died: exit without exec'ing. The
 * go fd is closed for the target. A Node daemon keeps the status fd (it reports ready/fail
 * itself); any other program gets it closed before the exec, so the pipe never leaks into it. sh
 * always exports PWD (set to the daemon's cwd); when the requested environment has no PWD
 * (clearEnv, or env: { PWD: null }) it is unset again before the exec.
 */
export function innerScript(fds: Pick<ChainFds, 'status' | 'go'>, keepStatus: boolean, keepPwd = true): string {
  const { status, go } = fds;
  return [
    `echo "pid $$" >&${status}`,
    `IFS= read -r go <&${go} && [ "$go" = go ] || exit ${NO_GO_STATUS}`,
    `${keepPwd ? '' : 'unset PWD; '}exec "$@" ${go}<&-${keepStatus ? '' : ` ${status}>&-`}`,
  ].join('; ');
}

/** The outer script: set the umask, run the inner as a foreground command (without the life line's fd), report its exit. */
export function outerScript(umask: number, inner: string, fds: Pick<ChainFds, 'status' | 'life'>): string {
  const quoted = `'${inner.replace(/'/g, `'\\''`)}'`;
  const closeLife = fds.life === null ? '' : ` ${fds.life}<&-`;
  return [`umask ${umask.toString(8).padStart(4, '0')}`, `${SH} -c ${quoted} ${INNER_NAME} "$@"${closeLife}`, `echo "exit $?" >&${fds.status}`].join('\n');
}

export interface ChainSources {
  stdoutFd: number;
  stderrFd: number;
  statusWriteFd: number;
  goReadFd: number;
  lockFd: number | null;
  lifeFd: number | null;
}

/** The posix_spawn request for the outer sh. */
export function chainRequest(
  plan: StartPlan,
  target: readonly (string | Buffer)[],
  fds: ChainFds,
  sources: ChainSources,
  inner: string,
  env: Record<string, string>,
): SpawnRequest {
  const fileActions: SpawnRequest['fileActions'] = [
    { op: 'open', fd: 0, path: '/dev/null', flags: O.RDONLY },
    { op: 'dup2', from: sources.stdoutFd, to: 1 },
    { op: 'dup2', from: sources.stderrFd, to: 2 },
    { op: 'dup2', from: sources.statusWriteFd, to: fds.status },
    { op: 'dup2', from: sources.goReadFd, to: fds.go },
    ...(fds.lock !== null && sources.lockFd !== null ? [{ op: 'dup2' as const, from: sources.lockFd, to: fds.lock }] : []),
    ...(fds.life !== null && sources.lifeFd !== null ? [{ op: 'dup2' as const, from: sources.lifeFd, to: fds.life }] : []),
  ];
  return {
    path: SH,
    argv: [SH, '-c', outerScript(plan.umask, inner, fds), 'daemonspec', ...target],
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

/** Where the inner sh is: still itself (or setpriv on the way to a dropped privilege), exec'd into the target, or gone. */
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
