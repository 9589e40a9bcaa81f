/**
 * Section 1: time to a ready daemon, daemonspec against its peers and the floors,
 * all cases interleaved round by round in one run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readyCases } from './peers.mjs';
import { killTagged, launchUntilReady, livePid, newTag, workDir } from './processes.mjs';
import { fmtRatio, fmtSummary, interleave, pairedRatio, summarize } from './stats.mjs';

/** @param {string} pidfile */
function pidfileWritten(pidfile) {
  try {
    return /^\d+\s*$/.test(readFileSync(pidfile, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * One trial: start, wait for ready, stop everything it started, verify nothing is left.
 * @param {import('./peers.mjs').ReadyCase} c
 */
async function trial(c) {
  const { dir, dispose } = workDir();
  const pidfile = join(dir, 'daemon.pid');
  const tag = newTag('ready');
  try {
    const own = c.ready;
    const ready = own ? () => own(pidfile, dir) : c.daemon ? () => livePid(pidfile) !== null : c.writesPidfile ? () => pidfileWritten(pidfile) : () => true;
    const result = await launchUntilReady(c.argv(pidfile, dir), { tag, ready, watchDir: dir, cwd: dir });
    if (result.exitCode !== 0) throw new Error(`${c.name}: exit ${result.exitCode ?? result.signal}: ${result.stderr.trim()}`);
    return result.ms;
  } finally {
    await killTagged(tag);
    dispose();
  }
}

/** @param {{ rounds: number, warmup: number, log: (line: string) => void }} options */
export async function benchReady({ rounds, warmup, log }) {
  const all = readyCases();
  const active = all.filter((c) => !c.skip);
  /** @type {Map<string, string>} */
  const failures = new Map();
  const cases = active.map((c) => ({
    name: c.name,
    run: async () => {
      if (failures.has(c.name)) return null;
      try {
        return await trial(c);
      } catch (error) {
        failures.set(c.name, error instanceof Error ? error.message : String(error));
        return null;
      }
    },
  }));
  const samples = await interleave(cases, { warmup, rounds, onRound: (r) => log(`  ready: round ${r + 1}/${rounds}`) });
  const stats = new Map([...samples].map(([name, values]) => [name, summarize(values)]));
  /** @param {string} name */
  const get = (name) => samples.get(name) ?? [];

  const rows = all.map((c) => {
    const s = stats.get(c.name);
    const status = c.skip ? `skipped: ${c.skip}` : failures.has(c.name) ? `failed: ${failures.get(c.name)}` : '';
    return { name: c.name, kind: c.kind, title: c.title, note: c.note ?? '', summary: s ?? null, status };
  });

  // Ratios, each from paired rounds of the same run.
  const ratios = [];
  const targets = [];
  const plain = get('floor: node script (plain)');
  const nodeFloor = get('floor: node -e 0');
  const sleepFloor = get('floor: /bin/sleep 0');
  const forkFloor = get('floor: fork/setsid/fork/exec');
  for (const ours of ['daemonize()', 'daemonspec run']) {
    const a = get(ours);
    if (a.length === 0) continue;
    for (const c of all) {
      if (c.kind === 'daemonspec' || c.name === 'floor: /bin/sleep 0') continue;
      const b = get(c.name);
      if (b.length === 0) continue;
      ratios.push({ a: ours, b: c.name, ratio: pairedRatio(a, b) });
    }
  }
  const daemonizeSamples = get('daemonize()');
  if (daemonizeSamples.length && plain.length) {
    const r = pairedRatio(daemonizeSamples, plain);
    targets.push({
      target: 'daemonize() within 1.25× of the same Node script run plainly to the same point',
      met: r <= 1.25,
      detail: `${fmtRatio(r)} (daemonize() ${fmtSummary(stats.get('daemonize()'), 'ms')} vs plain ${fmtSummary(stats.get('floor: node script (plain)'), 'ms')})`,
    });
  } else {
    targets.push({ target: 'daemonize() within 1.25× of a plain Node start', met: null, detail: all.find((c) => c.name === 'daemonize()')?.skip ?? failures.get('daemonize()') ?? 'not measured' });
  }
  const runSamples = get('daemonspec run');
  if (runSamples.length && nodeFloor.length && sleepFloor.length) {
    const n = Math.min(runSamples.length, nodeFloor.length, sleepFloor.length);
    const per = [];
    for (let i = 0; i < n; i++) per.push(runSamples[i] / (nodeFloor[i] + sleepFloor[i]));
    per.sort((x, y) => x - y);
    const r = per[per.length >> 1];
    targets.push({
      target: '`daemonspec run` within 1.25× of `node -e 0` + the target program\'s own start',
      met: r <= 1.25,
      detail: `${fmtRatio(r)} (run ${fmtSummary(stats.get('daemonspec run'), 'ms')} vs node -e 0 ${fmtSummary(stats.get('floor: node -e 0'), 'ms')} + sleep 0 ${fmtSummary(stats.get('floor: /bin/sleep 0'), 'ms')})`,
    });
  } else {
    targets.push({ target: '`daemonspec run` within 1.25× of `node -e 0` + the target\'s own start', met: null, detail: all.find((c) => c.name === 'daemonspec run')?.skip ?? failures.get('daemonspec run') ?? 'not measured' });
  }
  if (forkFloor.length && nodeFloor.length) ratios.push({ a: 'floor: node -e 0', b: 'floor: fork/setsid/fork/exec', ratio: pairedRatio(nodeFloor, forkFloor) });

  return {
    id: 'ready',
    title: 'Time to a ready daemon',
    intro:
      'From invoking the command until the original process has exited AND the pidfile names a live daemon. ' +
      'Every case starts the same trivial workload (write a pidfile, sleep); each trial then kills every process ' +
      'it started (found by an environment tag) and checks that none is left. Cases are interleaved round by round; ' +
      `medians of ${rounds} rounds after ${warmup} warm-up(s), with min–max.`,
    columns: ['case', 'ms median (min–max)', 'what', 'note'],
    rows: rows.map((r) => [r.name, r.summary ? fmtSummary(r.summary) : r.status, r.title, [r.note, r.summary ? r.status : ''].filter(Boolean).join('; ')]),
    ratios: ratios.map((r) => ({ label: `${r.a} vs ${r.b}`, value: r.ratio })),
    targets,
  };
}
