/**
 * The conformance checker: run any daemonizing command the way a user does (from a login shell
 * on a fresh terminal, with traps set), find the daemon, inspect it and judge it with named rules.
 */
import { DaemonspecError, usageError } from '../errors.js';
import { envRecord } from '../env-record.js';
import { checkWaitMs } from '../longest-wait.js';
import { beforeStart } from '../daemon/refused.js';
import { refuseStalePidfile } from './run-pidfile.js';
import { resolveCommand } from '../resolve-command.js';
import { validateLifecycle } from './lifecycle/request.js';
import { plantedGroups, resolveExpectedUser } from './user/expected-user.js';
import { NOTIFY_FD_RANGE } from './readiness/notify-fd.js';
import { resolveProfile } from './profiles.js';
import type { CheckOptions, CheckReport, HostCheckOptions } from './report-types.js';
import { runOnce, type RunOnceResult } from './run-once.js';
import { newSeed, validateSeed } from './trap-pools.js';
import { validateCaller } from './caller-spec.js';
import { refuseUnrealisedSubreaper } from './subreaper.js';
import { requireStrace } from '../trace/strace.js';
import { mergeRuns } from './merge-runs.js';

export * from './public.js';

const DEFAULT_TIMEOUT_MS = 10_000;

/** `--notify-fd N`: from 3 to 9, below the leaked-fd traps; null when not given. */
function validateNotifyFd(fd: number | undefined): number | null {
  if (fd === undefined) return null;
  if (!Number.isInteger(fd) || fd < NOTIFY_FD_RANGE.min || fd > NOTIFY_FD_RANGE.max) {
    throw new DaemonspecError('EUSAGE', `--notify-fd must be a file descriptor from ${NOTIFY_FD_RANGE.min} to ${NOTIFY_FD_RANGE.max} (the leaked-fd traps use 10 and up), not ${fd}`);
  }
  return fd;
}

/** `--profile systemd` judges a service that must not daemonize: the options about a daemon's later life or its pidfile mean nothing there. */
function refuseForService(options: HostCheckOptions, pidfile: string | undefined): void {
  const refused: [string, boolean][] = [
    ['--lifecycle', options.lifecycle === true],
    ['--pidfile', pidfile !== undefined],
    ['--notify-fd', options.notifyFd !== undefined],
    ['--user', options.user !== undefined],
    ['--trace', options.trace === true],
  ];
  const given = refused.find(([, on]) => on);
  if (given) {
    throw new DaemonspecError('EUSAGE', `${given[0]} does not apply to --profile systemd: a new-style service keeps no pidfile and is judged by stays-in-foreground, notify-ready and stops-on-sigterm; drop ${given[0]}`);
  }
}

/** Everything checked and resolved before the first run; a DaemonspecError it throws started nothing. */
function planHostCheck(command: readonly string[], options: HostCheckOptions) {
  const isolation = (options as CheckOptions).isolation;
  if (isolation !== undefined && isolation !== 'host') {
    throw new DaemonspecError('EUSAGE', `checkOnHost runs on this host only, not in "${isolation}"; call checkDaemon for an isolation`);
  }
  const profile = resolveProfile(options.profile, options);
  if (profile.service) refuseForService(options, profile.expect.pidfile);
  refuseStalePidfile(profile.expect.pidfile); // each run checks again (run-resources.ts); here, before anything started
  const repeat = options.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1) throw new DaemonspecError('EUSAGE', `--repeat must be a positive integer, not ${repeat}`);
  const timeoutMs = checkWaitMs(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, '--timeout');
  const seed = options.seed === undefined ? newSeed() : validateSeed(options.seed);
  const lifecycle = validateLifecycle({ ...options, pidfile: profile.expect.pidfile });
  const stopCommand = options.stopCommand;
  const expectedUser = options.user === undefined ? null : resolveExpectedUser(options.user);
  const planted = expectedUser === null ? null : plantedGroups(expectedUser);
  const user = expectedUser === null ? null : { expected: expectedUser, plantedGroups: planted!.groups };
  const caller = options.caller === undefined ? undefined : validateCaller(options.caller);
  if (caller !== undefined) refuseUnrealisedSubreaper(caller.subreaper);
  const notifyFd = validateNotifyFd(options.notifyFd);
  if (command.length === 0 || !command[0]) throw usageError('no command given: daemonspec check [options] -- CMD ARGS...');
  const resolved = [resolveCommand(command[0], process.env.PATH, 'ECHECK'), ...command.slice(1)];
  const strace = options.trace === true ? requireStrace() : undefined;
  const env = envRecord();
  for (const [k, v] of Object.entries({ ...process.env, ...(options.env ?? {}) })) if (v !== undefined) env[k] = v;
  return { profile, repeat, timeoutMs, seed, lifecycle, stopCommand, planted, user, caller, notifyFd, resolved, strace, env };
}

/**
 * The checker proper, on this host: runs `command` as a user would from a terminal, finds the
 * daemon it leaves, judges it, then stops everything it started. Rejects with DaemonspecError
 * (`EUSAGE`, `ECHECK`) when the check itself cannot run (bad options, command not found); a
 * daemon that misbehaves is a `fail` verdict. Where a check runs (namespace, docker) is decided
 * a layer above: `checkDaemon` in src/isolation/ calls this for `host`.
 *
 * On Linux the calling process becomes a child subreaper for the rest of its life (see subreaper.ts).
 */
export async function checkOnHost(command: readonly string[], options: HostCheckOptions = {}): Promise<CheckReport> {
  const started = Date.now();
  const { profile, repeat, timeoutMs, seed, lifecycle, stopCommand, planted, user, caller, notifyFd, resolved, strace, env } = await beforeStart(() => planHostCheck(command, options));

  const runs: RunOnceResult[] = [];
  const later = lifecycle && { stopCommand, stopTimeoutMs: lifecycle.stopTimeoutMs };
  const run = profile.service ? (await import('./service/run-service.js')).runService : runOnce;
  for (let i = 0; i < repeat; i++) runs.push(await run({ command: resolved, profile, timeoutMs, env, seed, lifecycle: later, user, caller, strace, notifyFd, notify: options.notify === true || profile.service }));
  const last = runs[runs.length - 1]!;
  const results = mergeRuns(runs.map((r) => r.results));
  const notes = [...new Set([...runs.flatMap((r) => r.notes), ...(planted?.note ? [planted.note] : [])])];
  const failed = results.some((r) => r.status === 'fail' || r.status === 'racy');
  return {
    schemaVersion: 2,
    verdict: failed || last.noDaemon !== null ? 'fail' : 'pass',
    command: [...command],
    profile: profile.name,
    isolation: 'host',
    seed,
    strict: profile.expect.strict,
    caller: last.caller,
    noDaemon: last.noDaemon,
    launcher: last.launcher,
    daemon: last.daemon,
    chain: last.chain,
    candidates: last.candidates,
    results,
    cleanup: {
      stopped: [...new Set(runs.flatMap((r) => r.cleanup.stopped))],
      leftRunning: [...new Set(runs.flatMap((r) => r.cleanup.leftRunning))],
    },
    terminalOutput: last.terminalOutput,
    notes,
    runs: repeat,
    durationMs: Date.now() - started,
    ...(last.trace ? { trace: last.trace } : {}),
    ...(last.windows ? { windows: last.windows } : {}),
  };
}
