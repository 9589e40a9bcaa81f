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

/**
 * Per paired round, A ÷ (the sum of the floors of the same round); the median of those.
 * @param {number[]} a
 * @param {number[][]} floors
 */
function ratioToSum(a, floors) {
  const n = Math.min(a.length, ...floors.map((f) => f.length));
  const per = [];
  for (let i = 0; i < n; i++) per.push(a[i] / floors.reduce((sum, f) => sum + f[i], 0));
  per.sort((x, y) => x - y);
  return per[per.length >> 1];
}

/**
 * @typedef {Map<string, ReturnType<typeof summarize>>} Stats
 * @typedef {import('./peers.mjs').ReadyCase[]} Cases
 */

/**
 * Issue 14.1: daemonize() re-executes Node, so its floor is the same script run plainly plus one
 * bare Node start; the target is 1.10× that sum.
 * @param {number[]} ours @param {number[]} plain @param {number[]} node @param {Stats} stats @param {Cases} all @param {Map<string, string>} failures
 */
function daemonizeTarget(ours, plain, node, stats, all, failures) {
  const target = 'daemonize() time to ready ≤ 1.10× (the same script run plainly + `node -e 0`)';
  if (ours.length === 0 || plain.length === 0 || node.length === 0) {
    return { target, met: null, detail: all.find((c) => c.name === 'daemonize()')?.skip ?? failures.get('daemonize()') ?? 'not measured' };
  }
  const r = ratioToSum(ours, [plain, node]);
  return {
    target,
    met: r <= 1.1,
    detail: `${fmtRatio(r)} (daemonize() ${fmtSummary(stats.get('daemonize()'), 'ms')} vs plain ${fmtSummary(stats.get('floor: node script (plain)'), 'ms')} + node -e 0 ${fmtSummary(stats.get('floor: node -e 0'), 'ms')})`,
  };
}

/**
 * Issue 14.1: `daemonspec run` ≤ 1.30× `node -e 0`.
 * @param {number[]} ours @param {number[]} node @param {Stats} stats @param {Cases} all @param {Map<string, string>} failures
 */
function runTarget(ours, node, stats, all, failures) {
  const target = '`daemonspec run` ≤ 1.30× `node -e 0`';
  if (ours.length === 0 || node.length === 0) {
    return { target, met: null, detail: all.find((c) => c.name === 'daemonspec run')?.skip ?? failures.get('daemonspec run') ?? 'not measured' };
  }
  const r = ratioToSum(ours, [node]);
  return { target, met: r <= 1.3, detail: `${fmtRatio(r)} (run ${fmtSummary(stats.get('daemonspec run'), 'ms')} vs node -e 0 ${fmtSummary(stats.get('floor: node -e 0'), 'ms')})` };
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
  targets.push(daemonizeTarget(get('daemonize()'), plain, nodeFloor, stats, all, failures));
  targets.push(runTarget(get('daemonspec run'), nodeFloor, stats, all, failures));
  // What the exec design itself costs: its daemon runs the script again (Node's ES loader and the
  // script's imports), which the target's floor counts once; above this sum is daemonspec's own work.
  if (plain.length && get('daemonize()').length) {
    ratios.push({ a: 'daemonize()', b: 'the plain script twice (the daemon runs it again)', ratio: ratioToSum(get('daemonize()'), [plain, plain]) });
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
