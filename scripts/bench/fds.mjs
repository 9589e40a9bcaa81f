/**
 * Section 2: closing inherited fds at RLIMIT_NOFILE 1024 and at the hard limit, with 10 and
 * 1000 fds open: daemonspec's way (close_range; and the posix_spawn closeOtherFds path the
 * daemonizer uses) against a loop to the limit (koffi close(), and the seed's Python loop).
 * Each configuration runs in a child started under `prlimit --nofile=L:L`.
 */
import { join } from 'node:path';
import { root } from './paths.mjs';
import { run } from './processes.mjs';
import { fmt, fmtRatio, fmtSummary, pairedRatio, summarize } from './stats.mjs';

/**
 * fd-close-worker.mjs's line (its Output typedef).
 * @typedef {import('./fd-close-worker.mjs').Output} NodeWorkerOutput
 */

/**
 * workloads/close-loop.py's line: one sample (ms) per rep of its close() loop from 3 to the limit.
 * @typedef {{ limit: number, count: number, loopIterations: number, samples: number[] }} PythonWorkerOutput
 */

export const DOCKER_DEFAULT_LIMIT = 1_048_576;

/**
 * Runs a worker; resolves with its last line of stdout, parsed (the caller names its shape).
 * @param {string[]} argv
 * @returns {Promise<unknown>}
 */
async function worker(argv) {
  const result = await run(argv);
  if (result.exitCode !== 0) throw new Error(`${argv.join(' ')}: exit ${result.exitCode}: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '');
}

/**
 * @param {{ reps: number, log: (line: string) => void, hardLimit?: number }} options
 * @returns {Promise<import('./report.mjs').Section>}
 */
export async function benchFds({ reps, log, hardLimit = 20000 }) {
  const limits = [1024, hardLimit];
  const counts = [10, 1000];
  /** @type {string[][]} */
  const rows = [];
  /** @type {import('./report.mjs').Ratio[]} */
  const ratios = [];
  /** @type {import('./report.mjs').Target[]} */
  const targets = [];
  /** @type {Partial<Record<number, { koffi: number, python: number }>>} ms per number closed, by limit (10 fds open) */
  const perIteration = {};
  let worstOurs = { ms: 0, where: '' };
  let worstSpawnExtra = { ms: 0, where: '' };
  for (const limit of limits) {
    for (const count of counts) {
      log(`  fds: limit ${limit}, ${count} open`);
      const prlimit = ['/usr/bin/prlimit', `--nofile=${limit}:${limit}`, '--', '/usr/bin/python3', join(root, 'scripts/bench/workloads/clean-exec.py')];
      const node = /** @type {NodeWorkerOutput} */ (await worker([...prlimit, process.execPath, join(root, 'scripts/bench/fd-close-worker.mjs'), String(limit), String(count), String(reps)]));
      const py = /** @type {PythonWorkerOutput} */ (await worker([...prlimit, '/usr/bin/python3', join(root, 'scripts/bench/workloads/close-loop.py'), String(count), String(Math.max(1, Math.ceil(reps / 4)))]));
      const s = node.samples;
      const cr = summarize(s.closeRange);
      const loop = summarize(s.loop);
      const spawnExtra = s.spawnCloseOthers.map((v, i) => v - s.spawnInherit[i]);
      const pyLoop = summarize(py.samples);
      const where = `limit ${limit}, ${count} open`;
      rows.push([
        String(limit), String(count), fmtSummary(cr), fmtSummary(summarize(spawnExtra)), fmtSummary(loop), fmtSummary(pyLoop),
        fmtRatio(pairedRatio(s.loop, s.closeRange)),
      ]);
      if (cr.median > worstOurs.ms) worstOurs = { ms: cr.median, where };
      const extra = summarize(spawnExtra).median;
      if (extra > worstSpawnExtra.ms) worstSpawnExtra = { ms: extra, where };
      ratios.push({ label: `close loop (koffi) vs close_range, ${where}`, value: pairedRatio(s.loop, s.closeRange) });
      if (count === 10) {
        perIteration[limit] = { koffi: loop.median / node.loopIterations, python: pyLoop.median / py.loopIterations };
      }
      if (limit === hardLimit && count === 10) {
        const r = pairedRatio(s.loop, s.closeRange);
        targets.push({ target: `fd closing at the hard limit (${hardLimit}) ≥ 10× faster than the loop`, met: r >= 10, detail: `${fmtRatio(r)} with ${count} fds open (close_range ${fmt(cr.median)} ms, loop ${fmt(loop.median)} ms)` });
      }
      if (limit === hardLimit && count === 1000) {
        const r = pairedRatio(s.loop, s.closeRange);
        targets.push({ target: `fd closing at the hard limit with 1000 fds open ≥ 10× faster than the loop`, met: r >= 10, detail: `${fmtRatio(r)} (close_range ${fmt(cr.median)} ms, loop ${fmt(loop.median)} ms): both pay the 1000 real closes; the loop's advantage shrinks as the open fds approach the limit` });
      }
    }
  }
  targets.unshift(
    { target: 'fd closing under 2 ms at any limit (close_range)', met: worstOurs.ms < 2, detail: `worst median ${fmt(worstOurs.ms)} ms (${worstOurs.where}); independent of the limit` },
    { target: 'fd closing under 2 ms at any limit (the daemonizer\'s posix_spawn closeOtherFds path, extra over a plain spawn)', met: worstSpawnExtra.ms < 2, detail: `worst median ${fmt(worstSpawnExtra.ms)} ms (${worstSpawnExtra.where})` },
  );
  // Extrapolation of the loop to Docker's usual default from the measured per-number cost.
  const per = perIteration[hardLimit];
  /** @type {string[]} */
  const notes = [];
  if (per) {
    const koffiAt = per.koffi * DOCKER_DEFAULT_LIMIT;
    const pyAt = per.python * DOCKER_DEFAULT_LIMIT;
    notes.push(
      `A close() loop costs ${fmt(per.koffi * 1e6)} ns per number from Node (koffi) and ${fmt(per.python * 1e6)} ns from Python (measured at ${hardLimit}, 10 fds open); ` +
        `at RLIMIT_NOFILE ${DOCKER_DEFAULT_LIMIT.toLocaleString('en')} (Docker's usual default) that is about ${fmt(koffiAt)} ms (koffi) and ${fmt(pyAt)} ms (Python, the seed) per daemon start, ` +
        'and unbounded where the limit is RLIM_INFINITY. close_range(2) does not depend on the limit.',
    );
    const crAtHard = rows.find((r) => r[0] === String(hardLimit) && r[1] === '10');
    if (crAtHard) {
      const crMs = Number.parseFloat(crAtHard[2]);
      const r = koffiAt / crMs;
      targets.push({ target: `at ${DOCKER_DEFAULT_LIMIT.toLocaleString('en')} (extrapolated), ≥ 500× faster than the loop`, met: r >= 500, detail: `${fmtRatio(r)} (loop ≈ ${fmt(koffiAt)} ms from koffi, ${fmt(pyAt)} ms from Python; close_range ${fmt(crMs)} ms, 10 fds open)` });
    }
  }
  return {
    id: 'fds',
    title: 'Closing inherited fds',
    intro:
      'Inherited, non-CLOEXEC fds opened on /dev/null; each (limit, open fds) pair runs in a child under `prlimit --nofile=L:L`, ' +
      `the ways interleaved rep by rep, medians of ${reps} reps (min–max), in ms. ` +
      '"spawn closeOtherFds, extra" is what the daemonizer really pays: posix_spawn of /bin/true with closeOtherFds (list /proc/self/fd, one close action per fd, run in the child) minus the same spawn that leaves the fds to the child, paired per rep.',
    columns: ['RLIMIT_NOFILE', 'open fds', 'close_range', 'spawn closeOtherFds, extra', 'close() loop (koffi)', 'close() loop (Python, the seed)', 'loop ÷ close_range'],
    rows,
    ratios,
    targets,
    notes,
  };
}
