/**
 * Section: `daemonspec fuzz`: generated callers checked per second, one at a time against two in
 * parallel (--jobs 1 and 2), against `daemonspec run -- /bin/sleep`, which survives every caller
 * (so every run is a search run; no shrinking). Through the public library (dist/).
 */
import { join } from 'node:path';
import { root } from './peers.mjs';

export async function benchFuzz({ quick, log }) {
  const { fuzzDaemon } = await import(join(root, 'dist/index.js'));
  const cli = join(root, 'bin/daemonspec.js');
  const runs = quick ? 2 : 20;
  const rows = [];
  for (const jobs of [1, 2]) {
    const started = Date.now();
    const report = await fuzzDaemon([process.execPath, cli, 'run', '--pidfile', '{pidfile}', '--', '/bin/sleep', '300'], { pidfile: '{pidfile}', runs, jobs, seed: 1 });
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
