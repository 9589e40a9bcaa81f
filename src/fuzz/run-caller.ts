import { join } from 'node:path';
import type { CallerSpec } from '../check/caller-spec.js';
import type { CheckOptions, CheckReport } from '../check/report-types.js';
import { makeTempDir } from '../check/temp-dir.js';
import { isolationForCaller, runIsolated } from '../isolation/index.js';

/** The check options fuzz passes on to every run (`caller`, `repeat` and `seed` are its own). */
export type FuzzCheckOptions = Omit<CheckOptions, 'caller' | 'repeat' | 'seed'>;

const PLACEHOLDER = /\{(pidfile|stdout|stderr|dir)\}/g;

/** Fills {pidfile} {stdout} {stderr} {dir} with paths in `dir` (so `--stderr {stdout}` is one file for both). */
export function fillRunPaths(text: string, dir: string): string {
  const values: Record<string, string> = { dir, pidfile: join(dir, 'daemon.pid'), stdout: join(dir, 'out.log'), stderr: join(dir, 'err.log') };
  return text.replace(PLACEHOLDER, (_, key: string) => values[key]!);
}

export function fillOptions(options: FuzzCheckOptions, dir: string): FuzzCheckOptions {
  const out: FuzzCheckOptions = { ...options };
  for (const key of ['pidfile', 'stdout', 'stderr', 'cwd', 'readyLog', 'expectLog'] as const) {
    const value = options[key];
    if (value !== undefined) out[key] = fillRunPaths(value, dir);
  }
  return out;
}

/**
 * One check from `caller`, in a fresh directory for the placeholders, removed afterwards; in the
 * options' isolation (a container gets the directory mounted at the same path), or in the PID
 * namespace a caller without a subreaper needs (isolation/subreaper.ts).
 */
export async function runCaller(command: readonly string[], options: FuzzCheckOptions, caller: CallerSpec, seed: string): Promise<CheckReport> {
  // A check's temporary directory (tmp-promise): an interrupt, or the caretaker after a SIGKILL, removes it.
  const run = makeTempDir('daemonspec-fuzz-');
  const dir = run.path;
  try {
    const filled = command.map((arg) => fillRunPaths(arg, dir));
    const isolation = isolationForCaller(options.isolation ?? 'host', caller);
    return await runIsolated(isolation, { command: filled, options: { ...fillOptions(options, dir), caller, seed }, mounts: [{ host: dir, container: dir }] });
  } finally {
    run.remove();
  }
}

export function failingRules(report: CheckReport): string[] {
  return report.results.filter((r) => r.status === 'fail' || r.status === 'racy').map((r) => r.rule);
}

/** The failures of a run beyond the baseline's: rule ids, and `no-daemon` when the baseline had one. */
export function newFailures(report: CheckReport, baseline: CheckReport): string[] {
  const before = new Set(failingRules(baseline));
  const chosen = chosenAtBaseline(baseline);
  const failing: string[] = report.results
    .filter((r) => (r.status === 'fail' || r.status === 'racy') && !before.has(r.rule) && !theDaemonsOwn(r, chosen))
    .map((r) => r.rule);
  if (report.noDaemon !== null && baseline.noDaemon === null) failing.unshift('no-daemon');
  return failing;
}

/**
 * The state the daemon chose itself under the baseline caller, which plants nothing but a umask no
 * common daemon sets (arbitrary.ts): `rule` + what was found, per finding attributed `chosen`.
 */
function chosenAtBaseline(baseline: CheckReport): Set<string> {
  return new Set(baseline.results.flatMap((r) => (r.findings ?? []).filter((f) => f.attribution === 'chosen').map((f) => `${r.rule}\0${f.what}`)));
}

/**
 * A failure whose every inherited finding is state the daemon chose itself at the baseline: the
 * caller planted the daemon's own value (SIGPIPE ignored in the caller of a server that ignores it
 * anyway, umask 0 for nginx), and the check could not tell the two apart. Not the caller's doing.
 */
function theDaemonsOwn(result: CheckReport['results'][number], chosen: ReadonlySet<string>): boolean {
  const inherited = (result.findings ?? []).filter((f) => f.attribution === 'inherited');
  return inherited.length > 0 && inherited.every((f) => chosen.has(`${result.rule}\0${f.what}`));
}
