/**
 * Section 4: checking. Per-isolation cost and the whole matrix come from scripts/bench-matrix.mjs
 * --json (the matrix engineer's); measured here, through the public API and CLI, what it does not
 * cover: inspect(pid) per process, one host `check` end to end from the CLI against the daemon's
 * own start, and checks per second one at a time against two in parallel (2 cores).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildMissing, CLI } from './paths.mjs';
import { killTagged, launchUntilReady, livePid, newTag, run, workDir } from './processes.mjs';
import { PART_BENCHMARKS, runPartBenchmark } from './others.mjs';
import { fmt, fmtSummary, interleave, median, summarize, timeMs } from './stats.mjs';


/** @typedef {import('./processes.mjs').RunResult} RunResult */
/** @typedef {import('./stats.mjs').Summary} Summary */
/** @typedef {{ target: string, met: boolean | null, detail: string }} Target */

/**
 * What scripts/bench-matrix.mjs --json prints (the part this section reads; not validated).
 * @typedef {object} MatrixFigures
 * @property {Record<string, Summary & { overheadMs: number }>} [perCheck] per isolation
 * @property {Record<string, Summary>} [floors] the isolations alone, no check
 * @property {Record<string, string>} [unavailable] why an isolation was not measured
 * @property {{ isolations: string[], wallMs: number, checks: number, fixtures: number, errors?: string[] }} [matrix]
 */

/**
 * The daemon every check benchmark checks: start-stop-daemon, the cheapest correct-ish daemonizer here.
 * @param {string} pidfile
 */
export function checkTargetArgv(pidfile) {
  return ['/usr/sbin/start-stop-daemon', '--start', '--background', '--make-pidfile', '--pidfile', pidfile, '--exec', '/bin/sleep', '--', '60'];
}

export function checkCliMissing() {
  const help = spawnSync(process.execPath, [CLI, 'check', '--help'], { encoding: 'utf8' });
  if (help.status !== 0 || !/--pidfile/.test(help.stdout)) return '`daemonspec check` is not implemented yet';
  return null;
}

/**
 * One `daemonspec check` end to end; resolves its wall time in ms, or throws with its error.
 * @param {string} isolation
 */
async function oneCheck(isolation) {
  const { dir, dispose } = workDir();
  const pidfile = join(dir, 'daemon.pid');
  const tag = newTag('check');
  try {
    /** @type {RunResult | undefined} */
    let result;
    const ms = await timeMs(async () => {
      result = await run([process.execPath, CLI, 'check', '--isolation', isolation, '--pidfile', pidfile, '--json', '--', ...checkTargetArgv(pidfile)], { tag, cwd: dir, timeoutMs: 120_000 });
    });
    const { exitCode, stdout, stderr } = /** @type {RunResult} */ (result); // set by the timed run
    if (exitCode !== 0 && exitCode !== 1) {
      const line = (stderr || stdout).trim().split('\n')[0];
      throw new Error(`exit ${exitCode}: ${line}`);
    }
    return ms;
  } finally {
    await killTagged(tag);
    dispose();
  }
}

/** The daemon's own start, for "beyond the daemon's own start". */
async function targetAlone() {
  const { dir, dispose } = workDir();
  const pidfile = join(dir, 'daemon.pid');
  const tag = newTag('alone');
  try {
    const r = await launchUntilReady(checkTargetArgv(pidfile), { tag, ready: () => livePid(pidfile) !== null, watchDir: dir });
    return r.ms;
  } finally {
    await killTagged(tag);
    dispose();
  }
}

/**
 * inspect(pid) of start-stop-daemon's sleep, `reps` times after 20 unmeasured calls.
 * @param {number} reps
 * @returns {Promise<{ skip: string } | { summary: Summary }>}
 */
async function inspectCost(reps) {
  // Loaded here, not at the top, so that a missing build skips this row instead of the whole run.
  const missing = buildMissing();
  if (missing !== null) return { skip: missing };
  const mod = await import('daemonspec');
  const { dir, dispose } = workDir();
  const pidfile = join(dir, 'daemon.pid');
  const tag = newTag('inspect');
  try {
    await launchUntilReady(checkTargetArgv(pidfile), { tag, ready: () => livePid(pidfile) !== null, watchDir: dir });
    const pid = livePid(pidfile);
    if (pid === null) throw new Error('start-stop-daemon\'s sleep is gone');
    for (let i = 0; i < 20; i++) mod.inspect(pid);
    const samples = [];
    for (let i = 0; i < reps; i++) {
      const t = process.hrtime.bigint();
      mod.inspect(pid);
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return { summary: summarize(samples) };
  } finally {
    await killTagged(tag);
    dispose();
  }
}

/**
 * Rows and targets from scripts/bench-matrix.mjs --json (the matrix engineer's measurement).
 * @param {{ data?: unknown }} part its runPartBenchmark() result, status 'json'
 * @param {string[][]} rows
 * @param {Target[]} targets
 */
function fromMatrixBenchmark(part, rows, targets) {
  const d = /** @type {MatrixFigures} */ (part.data);
  for (const [name, st] of Object.entries(d.perCheck ?? {})) {
    rows.push([`check per isolation: ${name} (bench-matrix)`, fmtSummary(st), name === 'host' ? 'in-process host check (baseline)' : `${fmt(st.overheadMs)} ms over the in-process host check`]);
  }
  for (const [name, st] of Object.entries(d.floors ?? {})) rows.push([`floor: ${name} (bench-matrix)`, fmtSummary(st), 'the isolation alone, no check']);
  for (const [name, reason] of Object.entries(d.unavailable ?? {})) rows.push([`check per isolation: ${name}`, `skipped: ${reason}`, '']);
  if (d.matrix) {
    rows.push([`whole matrix (${d.matrix.isolations.join(', ')}), wall time (bench-matrix)`, fmt(d.matrix.wallMs), `${d.matrix.checks} checks, ${d.matrix.fixtures} fixtures${d.matrix.errors?.length ? `; ${d.matrix.errors.length} errors` : ''}`]);
    targets.push({ target: 'the whole matrix under 60 s', met: d.matrix.wallMs < 60_000, detail: `${fmt(d.matrix.wallMs / 1000)} s for ${d.matrix.checks} checks (${d.matrix.isolations.join(', ')})` });
  }
  const docker = d.perCheck?.docker;
  targets.push(docker
    ? { target: 'docker under 1 s more than host per check', met: docker.overheadMs < 1000, detail: `+${fmt(docker.overheadMs)} ms (bench-matrix)` }
    : { target: 'docker under 1 s more than host per check', met: null, detail: d.unavailable?.docker ?? 'not measured' });
}

/**
 * @param {{ rounds: number, warmup: number, log: (line: string) => void, quick: boolean,
 *   consumed?: Array<Awaited<ReturnType<typeof runPartBenchmark>>> }} options `consumed` collects the
 *   part-benchmark results this section used (so that they are not run again)
 */
export async function benchChecks({ rounds, warmup, log, quick, consumed }) {
  /** @type {string[][]} */
  const rows = [];
  /** @type {Target[]} */
  const targets = [];
  /** @type {string[]} */
  const notes = [];

  const ins = await inspectCost(quick ? 20 : 500);
  if ('skip' in ins) {
    rows.push(['inspect(pid), one process', `skipped: ${ins.skip}`, '']);
    targets.push({ target: 'inspect under 1 ms', met: null, detail: ins.skip });
  } else {
    rows.push(['inspect(pid), one process', fmtSummary(ins.summary), 'in-process, start-stop-daemon\'s sleep']);
    targets.push({ target: 'inspect under 1 ms', met: ins.summary.median < 1, detail: `${fmt(ins.summary.median)} ms median` });
  }

  // Per-isolation cost and the whole matrix: the matrix engineer's benchmark, when it speaks JSON.
  const matrixPart = PART_BENCHMARKS.find((p) => p.file === 'scripts/bench-matrix.mjs');
  if (!matrixPart) throw new Error('scripts/bench-matrix.mjs is not in PART_BENCHMARKS');
  const matrixResult = await runPartBenchmark(matrixPart, { quick, log });
  let matrixCovered = false;
  if (matrixResult.status === 'json') {
    consumed?.push(matrixResult);
    fromMatrixBenchmark(matrixResult, rows, targets);
    matrixCovered = true;
  } else if (matrixResult.status !== 'absent') {
    consumed?.push(matrixResult);
    rows.push(['per-isolation checks and the whole matrix (bench-matrix)', `${matrixResult.status}: see its section below`, '']);
  }

  const missing = checkCliMissing();
  if (missing) {
    rows.push(['check end to end from the CLI', `skipped: ${missing}`, '']);
    targets.push({ target: 'a host check under 300 ms beyond the daemon\'s own start', met: null, detail: missing });
    if (!matrixCovered) targets.push({ target: 'docker under 1 s more than host per check', met: null, detail: missing });
    return { id: 'checks', title: 'Checking', intro: '', columns: ['measure', 'ms median (min–max)', 'note'], rows, ratios: [], targets, notes };
  }

  // Which isolations to time here: host always (end to end from the CLI, against the daemon's
  // own start); namespace and docker only when bench-matrix did not cover them.
  /** @type {string[]} */
  const isolations = [];
  for (const isolation of matrixCovered ? ['host'] : ['host', 'namespace', 'docker']) {
    try {
      await oneCheck(isolation);
      isolations.push(isolation);
    } catch (error) {
      rows.push([`check end to end, ${isolation}`, `skipped: ${error instanceof Error ? error.message : String(error)}`, '']);
    }
  }
  const cases = [{ name: 'target alone', run: targetAlone }, ...isolations.map((i) => ({ name: i, run: () => oneCheck(i) }))];
  const samples = await interleave(cases, { warmup, rounds, onRound: (r) => log(`  checks: round ${r + 1}/${rounds}`) });
  /** @param {string} name */
  const get = (name) => samples.get(name) ?? [];
  const alone = median(get('target alone'));
  rows.push(['start-stop-daemon alone (the daemon\'s own start)', fmtSummary(summarize(get('target alone'))), '']);
  for (const i of isolations) {
    const s = summarize(get(i));
    rows.push([`check end to end from the CLI, ${i}`, fmtSummary(s), `${fmt(s.median - alone)} ms beyond the daemon's own start`]);
  }
  if (isolations.includes('host')) {
    const beyond = median(get('host')) - alone;
    targets.push({ target: 'a host check under 300 ms beyond the daemon\'s own start', met: beyond < 300, detail: `${fmt(beyond)} ms` });
  }
  if (isolations.includes('docker') && isolations.includes('host')) {
    const more = median(get('docker')) - median(get('host'));
    targets.push({ target: 'docker under 1 s more than host per check', met: more < 1000, detail: `${fmt(more)} ms` });
  } else if (!matrixCovered) {
    targets.push({ target: 'docker under 1 s more than host per check', met: null, detail: 'docker isolation not available here (see the row)' });
  }

  // Throughput: N checks one at a time vs two at a time, host isolation.
  if (isolations.includes('host')) {
    const n = quick ? 2 : 8;
    const sequential = async () => {
      const t = await timeMs(async () => {
        for (let i = 0; i < n; i++) await oneCheck('host');
      });
      return (n * 1000) / t;
    };
    const parallel = async () => {
      const t = await timeMs(async () => {
        for (let i = 0; i < n; i += 2) await Promise.all([oneCheck('host'), oneCheck('host')]);
      });
      return (n * 1000) / t;
    };
    const tp = await interleave([{ name: 'sequential', run: sequential }, { name: 'parallel 2', run: parallel }], { warmup: 0, rounds: quick ? 1 : 3 });
    const seq = summarize(tp.get('sequential') ?? []);
    const par = summarize(tp.get('parallel 2') ?? []);
    rows.push(['host checks per second, one at a time', fmtSummary(seq), `${n} checks per sample (checks/s, not ms)`]);
    rows.push(['host checks per second, two in parallel', fmtSummary(par), `${n} checks per sample (checks/s, not ms); ${fmt(par.median / seq.median)}× the sequential rate`]);
  }
  return {
    id: 'checks',
    title: 'Checking',
    intro: `The daemon checked is start-stop-daemon --background --make-pidfile … /bin/sleep 60 (sysv profile). Interleaved rounds, medians of ${rounds} after ${warmup} warm-up(s).`,
    columns: ['measure', 'ms median (min–max)', 'note'],
    rows,
    ratios: [],
    targets,
    notes,
  };
}
