/**
 * Section (issue 14.2): how late a failed start is reported. A Node daemon started by daemonize()
 * dies before it is ready (it calls fail(), exits, or is SIGKILLed) and stamps the instant; the
 * figure is the original's exit minus that instant, which includes the original's own exit. A
 * timeout T: spawnDaemon() with a readiness file that never appears, from this process, minus T.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './paths.mjs';
import { killTagged, newTag, workDir, BENCH_MARKER } from './processes.mjs';
import { fmtSummary, interleave, summarize } from './stats.mjs';

const workload = join(root, 'scripts/bench/workloads/failing-daemon.mjs');
const TIMEOUT_MS = 500;

/**
 * Starts the workload, waits for the original to exit; returns its exit instant minus the daemon's stamp.
 * @param {'fail' | 'exit' | 'kill'} mode how the daemon dies (see failing-daemon.mjs)
 */
async function deathToReport(mode) {
  const { dir, dispose } = workDir();
  const tag = newTag(`fail-${mode}`);
  const stamp = join(dir, 'stamp');
  try {
    const child = spawn(process.execPath, [workload, mode, join(dir, 'd.pid'), stamp], {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, [BENCH_MARKER]: tag },
    });
    /** @type {number | null} */
    const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
    const exited = Date.now();
    if (code !== 1) throw new Error(`failing-daemon ${mode}: the original exited ${code}, not 1`);
    return exited - Number(readFileSync(stamp, 'utf8'));
  } finally {
    await killTagged(tag);
    dispose();
  }
}

/**
 * spawnDaemon() with a timeout T: how long after T it rejects.
 * @param {typeof import('daemonspec').spawnDaemon} spawnDaemon
 */
async function timeoutOvershoot(spawnDaemon) {
  const { dir, dispose } = workDir();
  const tag = newTag('fail-timeout');
  try {
    const started = Date.now();
    const outcome = await spawnDaemon('/bin/sleep', ['300'], { timeout: TIMEOUT_MS, readyFile: join(dir, 'never'), env: { ...process.env, [BENCH_MARKER]: tag } }).then(
      () => 'started',
      /** @param {unknown} error */
      (error) => (error instanceof Error && 'code' in error ? error.code : undefined),
    );
    if (outcome !== 'ETIMEOUT') throw new Error(`timeout case: expected ETIMEOUT, got ${outcome}`);
    return Date.now() - started - TIMEOUT_MS;
  } finally {
    await killTagged(tag);
    dispose();
  }
}

/** @param {{ rounds: number, warmup: number, log: (line: string) => void }} options */
export async function benchFailures({ rounds, warmup, log }) {
  // Loaded here, not at the top, so that a missing build fails this section, not the whole run.
  const { spawnDaemon } = await import('daemonspec');
  const cases = [
    { name: 'fail() before ready', limit: 100, run: () => deathToReport('fail') },
    { name: 'exit before ready', limit: 100, run: () => deathToReport('exit') },
    { name: 'SIGKILL before ready', limit: 100, run: () => deathToReport('kill') },
    { name: `timeout ${TIMEOUT_MS} ms (overshoot)`, limit: 200, run: () => timeoutOvershoot(spawnDaemon) },
  ];
  const samples = await interleave(cases, { warmup, rounds, onRound: (r) => log(`  failures: round ${r + 1}/${rounds}`) });
  const stats = new Map([...samples].map(([name, values]) => [name, summarize(values)]));
  return {
    id: 'failures',
    title: 'How late a failed start is reported',
    intro:
      'A Node daemon started by daemonize() dies before it is ready and stamps the instant; each figure is the ' +
      "original's exit minus that instant (it includes the original's own exit). The timeout row is spawnDaemon() " +
      `with a readiness file that never appears and a ${TIMEOUT_MS} ms timeout: the time past the timeout. Interleaved; medians of ${rounds} rounds.`,
    columns: ['case', 'ms median (min–max)', 'target'],
    rows: cases.map((c) => [c.name, fmtSummary(stats.get(c.name)), `≤ ${c.limit} ms`]),
    ratios: [],
    targets: cases.map((c) => {
      const s = stats.get(c.name);
      const what = c.name.startsWith('timeout') ? `a timeout returns within T + ${c.limit} ms` : `${c.name}: reported within ${c.limit} ms of the death`;
      return { target: what, met: s && s.n > 0 ? s.median <= c.limit : null, detail: fmtSummary(s, 'ms') };
    }),
  };
}
