/**
 * The conformance checker: run any daemonizing command the way a user does (from a login shell
 * on a fresh terminal, with traps set), find the daemon, inspect it and judge it with named rules.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { DaemonspecError } from '../errors.js';
import { resolveProfile } from './profiles.js';
import type { CheckOptions, CheckReport, RuleResult, RuleStatus } from './report-types.js';
import { runOnce, type RunOnceResult } from './run-once.js';

export * from './report-types.js';
export { BUILTIN_PROFILES, parseUmask, resolveProfile, validateProfile } from './profiles.js';
export { RULES } from './rules/index.js';
export { MARKER_NAME } from './traps.js';
export {
  deviationsFor,
  fillPlaceholders,
  listFixtures,
  loadFixtures,
  loadManifest,
  manifestCheck,
  readManifest,
  type Deviation,
  type FixtureManifest,
  type LoadedFixture,
  type Placeholders,
} from './fixtures.js';

const DEFAULT_TIMEOUT_MS = 10_000;

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Resolves argv[0] like a shell: a path with a slash as is, else a PATH search. */
export function resolveCommand(command: readonly string[], env: Record<string, string | undefined> = process.env): string[] {
  if (command.length === 0 || !command[0]) throw new DaemonspecError('EUSAGE', 'no command given: daemonspec check [options] -- CMD ARGS...');
  const name = command[0];
  if (name.includes('/')) {
    const path = isAbsolute(name) ? name : resolve(name);
    if (!isExecutableFile(path)) {
      throw new DaemonspecError('ECHECK', `command not found or not executable: ${path}`, { path, errno: 'ENOENT', syscall: 'execve' });
    }
    return [path, ...command.slice(1)];
  }
  for (const dir of (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    const path = join(dir || '.', name);
    if (isExecutableFile(path)) return [resolve(path), ...command.slice(1)];
  }
  throw new DaemonspecError('ECHECK', `command not found: ${name} (searched PATH); give its path or fix PATH`, { path: name, errno: 'ENOENT' });
}

/** Merges per-run results: a rule whose status differs between runs becomes 'racy'. */
export function mergeRuns(runs: readonly RuleResult[][]): RuleResult[] {
  const last = runs[runs.length - 1]!;
  if (runs.length === 1) return last;
  return last.map((result, index) => {
    const statuses: RuleStatus[] = runs.map((run) => run[index]!.status);
    const same = statuses.every((s) => s === statuses[0]);
    if (same) return { ...result, runs: statuses };
    const failed = runs.map((run) => run[index]!).find((r) => r.status === 'fail');
    const failures = statuses.filter((s) => s === 'fail').length;
    return {
      ...(failed ?? result),
      status: 'racy',
      runs: statuses,
      message: `differs between runs (${statuses.join(', ')}): failed ${failures} of ${statuses.length}. ${failed?.message ?? ''}`.trim(),
    };
  });
}

/**
 * Runs `command` as a user would from a terminal, finds the daemon it leaves, judges it, then
 * stops everything it started. Rejects with DaemonspecError (`EUSAGE`, `ECHECK`) when the check
 * itself cannot run (bad options, command not found); a daemon that misbehaves is a `fail` verdict.
 *
 * On Linux the calling process becomes a child subreaper for the rest of its life (see subreaper.ts).
 * @example
 * const report = await checkDaemon(['/usr/sbin/mydaemon', '--pidfile', '/run/my.pid'], { pidfile: '/run/my.pid' });
 * if (report.verdict === 'fail') console.log(report.results.filter((r) => r.status !== 'pass'));
 */
export async function checkDaemon(command: readonly string[], options: CheckOptions = {}): Promise<CheckReport> {
  const started = Date.now();
  const isolation = options.isolation ?? 'host';
  if (isolation !== 'host') {
    const isolated = (await import('../isolation/index.js')) as unknown as {
      runIsolated?: (command: readonly string[], options: CheckOptions) => Promise<CheckReport>;
    };
    if (typeof isolated.runIsolated !== 'function') {
      throw new DaemonspecError('EUNSUPPORTED', `isolation "${isolation}" is not available in this build; use --isolation host`);
    }
    return isolated.runIsolated(command, options);
  }
  const profile = resolveProfile(options.profile, options);
  const repeat = options.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1) throw new DaemonspecError('EUSAGE', `--repeat must be a positive integer, not ${repeat}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new DaemonspecError('EUSAGE', `--timeout must be positive, not ${timeoutMs}`);
  const resolved = resolveCommand(command);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...(options.env ?? {}) })) if (v !== undefined) env[k] = v;

  const runs: RunOnceResult[] = [];
  for (let i = 0; i < repeat; i++) runs.push(await runOnce({ command: resolved, profile, timeoutMs, env }));
  const last = runs[runs.length - 1]!;
  const results = mergeRuns(runs.map((r) => r.results));
  const notes = [...new Set(runs.flatMap((r) => r.notes))];
  return {
    schemaVersion: 1,
    verdict: results.some((r) => r.status === 'fail' || r.status === 'racy') ? 'fail' : 'pass',
    command: [...command],
    profile: profile.name,
    isolation: 'host',
    launcher: last.launcher,
    daemon: last.daemon,
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
  };
}
