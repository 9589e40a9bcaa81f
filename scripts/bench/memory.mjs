/**
 * Section 5: peak RSS (VmHWM) of a daemonized idle Node script against the same script run
 * plainly, and of the checker process.
 */
import { join } from 'node:path';
import { CLI, root } from './paths.mjs';
import { killTagged, launchUntilReady, livePid, newTag, peakRssKiB, run, workDir } from './processes.mjs';
import { fmt, fmtRatio, fmtSummary, interleave, pairedRatio, summarize } from './stats.mjs';
import { checkCliMissing, checkTargetArgv } from './checks.mjs';

const workload = join(root, 'scripts/bench/workloads/node-idle.mjs');

/**
 * Peak RSS, in KiB, of node-idle.mjs started in `mode` once its pidfile names it; null when it is gone.
 * @param {'daemonize' | 'plain-idle'} mode
 */
async function idlePeak(mode) {
  const { dir, dispose } = workDir();
  const pidfile = join(dir, 'daemon.pid');
  const tag = newTag('mem');
  try {
    await launchUntilReady([process.execPath, workload, mode, pidfile], { tag, ready: () => livePid(pidfile) !== null, watchDir: dir, untilExit: mode === 'daemonize' });
    const pid = livePid(pidfile);
    return pid === null ? null : peakRssKiB(pid);
  } finally {
    await killTagged(tag);
    dispose();
  }
}

// getrusage(RUSAGE_CHILDREN).ru_maxrss of a waited child: the checker's own peak (its helpers are smaller).
const MAXRSS_WRAPPER =
  'import resource, subprocess, sys\n' +
  'code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n' +
  'print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n';

/** Peak RSS, in KiB, of one `daemonspec check` of start-stop-daemon. */
async function checkerPeak() {
  const { dir, dispose } = workDir();
  const tag = newTag('memcheck');
  try {
    const argv = [process.execPath, CLI, 'check', '--pidfile', join(dir, 'daemon.pid'), '--', ...checkTargetArgv(join(dir, 'daemon.pid'))];
    const result = await run(['/usr/bin/python3', '-c', MAXRSS_WRAPPER, ...argv], { tag, cwd: dir });
    const [kib, code] = result.stdout.trim().split(/\s+/).map(Number);
    if (code !== 0 && code !== 1) throw new Error(`daemonspec check exited ${code}`);
    return kib;
  } finally {
    await killTagged(tag);
    dispose();
  }
}

/**
 * @param {{ rounds: number, warmup: number, log: (line: string) => void, daemonizeSkip?: string | null }} options
 *   `daemonizeSkip`: why daemonize() cannot run (the daemonize() ready case's skip), if it cannot
 */
export async function benchMemory({ rounds, warmup, log, daemonizeSkip }) {
  /** @type {string[][]} */
  const rows = [];
  /** @type {Array<{ label: string, value: number }>} */
  const ratios = [];
  /** @type {string[]} */
  const notes = [];
  if (daemonizeSkip) {
    rows.push(['daemonized idle Node script', `skipped: ${daemonizeSkip}`, '']);
  } else {
    const samples = await interleave(
      [
        { name: 'daemonized', run: () => idlePeak('daemonize') },
        { name: 'plain', run: () => idlePeak('plain-idle') },
      ],
      { warmup, rounds, onRound: (r) => log(`  memory: round ${r + 1}/${rounds}`) },
    );
    const daemonized = samples.get('daemonized') ?? [];
    const plain = samples.get('plain') ?? [];
    const d = summarize(daemonized.map((k) => k / 1024));
    const p = summarize(plain.map((k) => k / 1024));
    rows.push(['daemonized idle Node script (the daemon)', fmtSummary(d), 'after daemonize() returned, idle']);
    rows.push(['the same script run plainly', fmtSummary(p), 'idle, pidfile written']);
    const r = pairedRatio(daemonized, plain);
    ratios.push({ label: 'daemonized vs plain idle Node script (peak RSS)', value: r });
    notes.push(`daemonize() adds ${fmt(d.median - p.median)} MiB of peak RSS to the daemon (${fmtRatio(r)}).`);
  }
  const checkSkip = checkCliMissing();
  if (checkSkip) {
    rows.push(['checker (`daemonspec check`)', `skipped: ${checkSkip}`, '']);
  } else {
    const values = [];
    for (let i = 0; i < Math.max(3, Math.ceil(rounds / 2)); i++) values.push((await checkerPeak()) / 1024);
    rows.push(['checker (`daemonspec check`, host)', fmtSummary(summarize(values)), 'ru_maxrss of the CLI process checking start-stop-daemon']);
  }
  return {
    id: 'memory',
    title: 'Memory',
    intro: 'Peak resident set size (VmHWM from /proc/PID/status; for the checker, ru_maxrss of the waited process), MiB, median (min–max).',
    columns: ['process', 'peak RSS MiB', 'note'],
    rows,
    ratios,
    targets: [],
    notes,
  };
}
