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
  for (const jobs of [1, 2]) {
    const started = Date.now();
    const report = await fuzzDaemon([process.execPath, CLI, 'run', '--pidfile', '{pidfile}', '--', '/bin/sleep', '300'], { pidfile: '{pidfile}', runs, jobs, seed: 1 });
    const seconds = (Date.now() - started) / 1000;
    log(`  fuzz --jobs ${jobs}: ${report.runs} runs in ${seconds.toFixed(1)} s (${report.verdict})`);
    rows.push([String(jobs), String(report.runs), seconds.toFixed(1), (report.runs / seconds).toFixed(2), report.verdict]);
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
