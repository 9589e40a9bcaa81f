/**
 * Section: a check against the reference checker (issue 14.3). The same daemon
 * (start-stop-daemon, as the other check benchmarks) is checked in this process by
 * `checkOnHost` and by scripts/bench/reference-check.mjs, interleaved; wall time and CPU (this
 * process and its waited-for children) for each, and their ratio.
 */
import { join } from 'node:path';
import { checkTargetArgv } from './checks.mjs';
import { buildMissing } from './paths.mjs';
import { BENCH_MARKER, killTagged, newTag, workDir } from './processes.mjs';
import { cpuMs, referenceCheck } from './reference-check.mjs';
import { fmt, fmtSummary, interleave, median, pairedRatio, summarize, timeMs } from './stats.mjs';

/**
 * A checker of `argv`, whose daemon writes `pidfile`; `env` is the command's whole environment.
 * @typedef {(argv: string[], pidfile: string, env: Record<string, string>) => Promise<unknown>} Checker
 */

/**
 * One sample of a checker: its wall time, and its CPU pushed to `cpu`.
 * @param {Checker} checker
 * @param {number[]} cpu
 */
async function sample(checker, cpu) {
  const { dir, dispose } = workDir();
  const pidfile = join(dir, 'daemon.pid');
  const tag = newTag('reference');
  // process.env holds strings only (its type allows undefined for the names it lacks).
  const env = /** @type {Record<string, string>} */ ({ ...process.env, [BENCH_MARKER]: tag });
  try {
    const before = cpuMs();
    const ms = await timeMs(() => checker(checkTargetArgv(pidfile), pidfile, env));
    cpu.push(cpuMs() - before);
    return ms;
  } finally {
    await killTagged(tag);
    dispose();
  }
}

/** @param {{ rounds: number, warmup: number, log: (line: string) => void }} options */
export async function benchReference({ rounds, warmup, log }) {
  const missing = buildMissing();
  if (missing !== null) throw new Error(missing);
  // daemonspec/internal, not the public entry: the public checker loads on first call, inside the first sample.
  const { checkOnHost } = await import('daemonspec/internal');
  /** @type {Checker} */
  const ours = (argv, pidfile, env) => checkOnHost(argv, { pidfile, env });
  /** @type {{ check: number[], reference: number[] }} */
  const cpu = { check: [], reference: [] };
  const samples = await interleave(
    [
      { name: 'check', run: () => sample(ours, cpu.check) },
      { name: 'reference', run: () => sample(referenceCheck, cpu.reference) },
    ],
    { warmup, rounds, onRound: (r) => log(`  reference: round ${r + 1}/${rounds}`) },
  );
  const checkSamples = samples.get('check') ?? [];
  const referenceSamples = samples.get('reference') ?? [];
  const check = summarize(checkSamples);
  const reference = summarize(referenceSamples);
  const wall = pairedRatio(checkSamples, referenceSamples);
  const checkCpu = median(cpu.check);
  return {
    id: 'reference',
    title: 'A check against the reference checker',
    intro:
      `checkOnHost (in this process) and scripts/bench/reference-check.mjs (a pty launch with script(1), a 200 ms settle, /proc inspection, a 300 ms window after the hang-up, a SIGTERM stop) on start-stop-daemon, interleaved, medians of ${rounds} after ${warmup} warm-up(s). ` +
      'CPU is this process and the children it waited for (/proc/self/stat), per check.',
    columns: ['checker', 'wall ms median (min–max)', 'CPU ms median'],
    rows: [
      ['daemonspec check (in-process)', fmtSummary(check), fmt(checkCpu)],
      ['reference checker', fmtSummary(reference), fmt(median(cpu.reference))],
    ],
    ratios: [],
    targets: [
      { target: 'a check ≤ 0.75× the reference checker\'s wall time', met: wall <= 0.75, detail: `${fmt(wall)}× (paired rounds)` },
      { target: 'a check uses ≤ 100 ms of CPU', met: checkCpu <= 100, detail: `${fmt(checkCpu)} ms` },
    ],
    notes: [],
  };
}
