#!/usr/bin/env node
/**
 * The matrix's benchmark (issue 6, section 3): the per-check cost of each isolation and the
 * wall time of the whole conformance matrix on this machine.
 *
 *   node scripts/bench-matrix.mjs [--quick] [--json] [--rounds N]
 *
 * Each isolation checks the same trivial daemon (start-stop-daemon --background running
 * sleep), round by round in a rotating order after a warm-up; the overhead of an isolation is
 * its median minus the median of the host check in-process, measured in the same run.
 * Floors: what the isolation itself costs with no check in it (`unshare ... true`,
 * `docker run --rm ... true`). Targets (issue 4/6): docker under 1 s more per check, the
 * whole matrix under 60 s. Needs `npm run build`; namespace and docker only where available.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : quick ? 3 : 10;
/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);

// The isolations and the matrix below the public entry: through daemonspec/internal (not a public API).
/** @typedef {import('daemonspec/internal').IsolationName} IsolationName */
const { runIsolated, isolationAvailability, DEFAULT_IMAGE, CONTAINER_WORK, runMatrix } = await import('daemonspec/internal');

/**
 * @typedef {{ n: number, median: number, min: number, max: number }} Summary milliseconds
 * @typedef {{ name: string, run: () => number | Promise<number> }} Case one sample of it, in ms
 */

/** @param {number[]} v */
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/**
 * @param {number[]} v
 * @returns {Summary}
 */
const summary = (v) => ({ n: v.length, median: median(v), min: Math.min(...v), max: Math.max(...v) });
/** @param {number} x */
const ms = (x) => `${Math.round(x)} ms`;

/** @param {string} pidfile */
function daemonCommand(pidfile) {
  return ['/usr/sbin/start-stop-daemon', '--start', '--background', '--make-pidfile', '--pidfile', pidfile, '--exec', '/bin/sleep', '--', '60'];
}

/**
 * One check under an isolation; resolves its wall time.
 * @param {IsolationName} isolation
 * @param {boolean} separateProcess
 * @returns {Promise<number>}
 */
async function timedCheck(isolation, separateProcess) {
  const work = mkdtempSync(join(tmpdir(), 'daemonspec-bench-'));
  const inContainer = isolation.startsWith('docker');
  const pidfile = `${inContainer ? CONTAINER_WORK : work}/daemon.pid`;
  try {
    const started = performance.now();
    const report = await runIsolated(isolation, {
      command: daemonCommand(pidfile),
      options: { pidfile },
      mounts: inContainer ? [{ host: work, container: CONTAINER_WORK }] : [],
      separateProcess,
    });
    const elapsed = performance.now() - started;
    if (!report.daemon) throw new Error(`${isolation}: the check found no daemon (${report.notes.join('; ')})`);
    return elapsed;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * @param {string[]} argv
 * @returns {number} its wall time in ms
 */
function timedCommand(argv) {
  const started = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
  return performance.now() - started;
}

/** @type {IsolationName[]} */
const available = [];
/** @type {Record<string, string>} */
const unavailable = {};
for (const name of /** @type {const} */ (['namespace', 'docker', 'docker-init'])) {
  const a = await isolationAvailability(name);
  if (a.available) available.push(name);
  else unavailable[name] = a.reason;
}

/** @type {Case[]} */
const cases = [
  { name: 'host', run: () => timedCheck('host', false) },
  { name: 'host (child process)', run: () => timedCheck('host', true) },
  ...available.map((name) => ({ name, run: () => timedCheck(name, false) })),
];
/** @type {Case[]} */
const floors = [{ name: 'node -e 0', run: () => timedCommand([process.execPath, '-e', '0']) }];
if (available.includes('namespace')) {
  floors.push({ name: 'unshare --pid --fork --mount-proc true', run: () => timedCommand(['unshare', '--pid', '--fork', '--mount-proc', 'true']) });
}
if (available.includes('docker')) {
  floors.push({ name: 'docker run --rm --network none IMAGE true', run: () => timedCommand(['docker', 'run', '--rm', '--network', 'none', DEFAULT_IMAGE, 'true']) });
}

/** @type {Map<string, number[]>} */
const samples = new Map([...cases, ...floors].map((c) => [c.name, []]));
/** @param {string} name a case's or a floor's: each has its list from the start */
const samplesOf = (name) => /** @type {number[]} */ (samples.get(name));
log(`bench-matrix: warm-up, then ${rounds} rounds of ${cases.length + floors.length} cases`);
for (const c of [...cases, ...floors]) await c.run();
for (let round = 0; round < rounds; round++) {
  const all = [...cases, ...floors];
  for (let k = 0; k < all.length; k++) {
    const c = all[(k + round) % all.length];
    samplesOf(c.name).push(await c.run());
  }
  log(`  round ${round + 1}/${rounds}`);
}

/** @type {Record<string, Summary & { overheadMs: number }>} */
const perCheck = {};
const hostMedian = median(samplesOf('host'));
for (const c of cases) {
  const s = summary(samplesOf(c.name));
  perCheck[c.name] = { ...s, overheadMs: s.median - hostMedian };
}
const floorFigures = Object.fromEntries(floors.map((f) => [f.name, summary(samplesOf(f.name))]));

/** @type {IsolationName[]} */
const matrixIsolations = ['host', ...available];
log(`bench-matrix: the whole matrix under ${matrixIsolations.join(', ')}`);
const matrixStarted = performance.now();
const result = await runMatrix({ isolations: matrixIsolations });
const matrixWallMs = performance.now() - matrixStarted;
const errors = result.rows.filter((r) => r.error).map((r) => `${r.isolation} ${r.fixture}: ${r.error}`);

/** @type {number | undefined} */
const dockerOverhead = perCheck.docker?.overheadMs;
const out = {
  machine: { cpus: availableParallelism(), model: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform} ${process.arch}` },
  rounds,
  perCheck,
  floors: floorFigures,
  unavailable,
  matrix: { isolations: matrixIsolations, fixtures: result.fixtures.length, checks: result.rows.filter((r) => r.report).length, wallMs: matrixWallMs, errors },
  targets: {
    dockerOverheadUnder1s: dockerOverhead === undefined ? null : dockerOverhead < 1000,
    matrixUnder60s: matrixWallMs < 60_000,
  },
};

if (json) {
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} else {
  const lines = [`per check (${rounds} rounds, trivial daemon: start-stop-daemon --background sleep)`];
  lines.push('  isolation                 median      min      max   overhead vs host');
  for (const [name, s] of Object.entries(perCheck)) {
    lines.push(`  ${name.padEnd(24)} ${ms(s.median).padStart(8)} ${ms(s.min).padStart(8)} ${ms(s.max).padStart(8)}   ${name === 'host' ? '(baseline)' : `${s.overheadMs >= 0 ? '+' : ''}${ms(s.overheadMs)}`}`);
  }
  lines.push('floors (the isolation alone, no check)');
  for (const [name, s] of Object.entries(floorFigures)) lines.push(`  ${name.padEnd(44)} median ${ms(s.median)} (min ${ms(s.min)}, max ${ms(s.max)})`);
  for (const [name, reason] of Object.entries(unavailable)) lines.push(`  ${name}: not measured: ${reason}`);
  lines.push(`whole matrix: ${out.matrix.checks} checks (${out.matrix.fixtures} fixtures × ${matrixIsolations.join(', ')}) in ${(matrixWallMs / 1000).toFixed(1)} s`);
  for (const e of errors) lines.push(`  error: ${e}`);
  lines.push('targets:');
  lines.push(`  docker adds under 1 s per check: ${dockerOverhead === undefined ? 'not measured (no engine)' : `${out.targets.dockerOverheadUnder1s ? 'met' : 'MISSED'} (+${ms(dockerOverhead)})`}`);
  lines.push(`  whole matrix under 60 s: ${out.targets.matrixUnder60s ? 'met' : 'MISSED'} (${(matrixWallMs / 1000).toFixed(1)} s)`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
