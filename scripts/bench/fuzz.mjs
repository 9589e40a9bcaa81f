/**
 * Section: `daemonspec fuzz`: generated callers checked per second, one at a time against two in
 * parallel (--jobs 1 and 2), against `daemonspec run -- /bin/sleep`, which survives every caller
 * (so every run is a search run; no shrinking). Through the public library: the package entry,
 * imported by its name (`daemonspec`, i.e. dist/bundle/index.js).
 */
import { CLI } from './paths.mjs';

/**
 * @param {{ quick: boolean, log: (line: string) => void }} options
 * @returns {Promise<import('./report.mjs').Section>}
 */
export async function benchFuzz({ quick, log }) {
  const { fuzzDaemon } = await import('daemonspec');
  const runs = quick ? 2 : 20;
  /** @type {string[][]} */
  const rows = [];
  // 1, 2, and the default (twice the CPUs), whose own row says so.
  for (const jobs of [1, 2, undefined]) {
    const started = Date.now();
    const report = await fuzzDaemon([process.execPath, CLI, 'run', '--pidfile', '{pidfile}', '--', '/bin/sleep', '300'], { pidfile: '{pidfile}', runs, jobs, seed: 1 });
    const seconds = (Date.now() - started) / 1000;
    const label = jobs === undefined ? `${report.jobs} (the default)` : String(jobs);
    log(`  fuzz --jobs ${label}: ${report.runs} runs in ${seconds.toFixed(1)} s (${report.verdict})`);
    rows.push([label, String(report.runs), seconds.toFixed(1), (report.runs / seconds).toFixed(2), report.verdict]);
  }
  return {
    id: 'fuzz',
    title: `daemonspec fuzz: callers per second (${runs} runs of daemonspec run, plus one baseline check each)`,
    columns: ['jobs', 'runs', 'seconds', 'runs/s', 'verdict'],
    rows,
    targets: [],
    ratios: [],
  };
}
