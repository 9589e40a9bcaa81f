/**
 * Section (issue 14.1): what importing the package costs. Each case is a fresh `node` that imports
 * one thing and exits: nothing, koffi, the package entry (`import { daemonize } from 'daemonspec'`),
 * and the CLI's `run` path (`daemonspec run --help`). Interleaved; the figures that count are the
 * per-round differences over `node -e 0`.
 */
import { spawnSync } from 'node:child_process';
import { CLI, root } from './paths.mjs';
import { fmt, fmtSummary, interleave, median, summarize } from './stats.mjs';

const CASES = [
  { name: 'node -e 0', argv: ['--input-type=module', '-e', '0'] },
  { name: "import 'koffi'", argv: ['--input-type=module', '-e', "import 'koffi';"] },
  { name: "import { daemonize } from 'daemonspec'", argv: ['--input-type=module', '-e', "import { daemonize } from 'daemonspec';"] },
  { name: 'daemonspec run --help', argv: [CLI, 'run', '--help'] },
];

/**
 * Wall time of one `node ...argv`, in ms; throws when it fails.
 * @param {string[]} argv
 */
function timeNode(argv) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${argv.join(' ')}: exit ${result.status}: ${result.stderr.trim()}`);
  return ms;
}

/**
 * Per-round a[i] - b[i], summarized.
 * @param {number[]} a
 * @param {number[]} b
 */
function pairedExtra(a, b) {
  const n = Math.min(a.length, b.length);
  return summarize(Array.from({ length: n }, (_, i) => a[i] - b[i]));
}

/** @param {{ rounds: number, warmup: number, log: (line: string) => void }} options */
export async function benchImports({ rounds, warmup, log }) {
  const samples = await interleave(
    CASES.map((c) => ({ name: c.name, run: async () => timeNode(c.argv) })),
    { warmup, rounds: rounds * 2, onRound: (r) => log(`  imports: round ${r + 1}/${rounds * 2}`) },
  );
  /** @param {string} name */
  const get = (name) => samples.get(name) ?? [];
  const base = get('node -e 0');
  const extra = new Map(CASES.map((c) => [c.name, pairedExtra(get(c.name), base)]));
  const koffi = get("import 'koffi'");
  const pkg = get("import { daemonize } from 'daemonspec'");
  const overKoffi = pairedExtra(pkg, koffi);
  return {
    id: 'imports',
    title: 'What importing daemonspec costs',
    intro:
      'A fresh node per sample; the cases are interleaved round by round. "over node -e 0" is the median of the ' +
      `per-round differences. ${rounds * 2} rounds after ${warmup} warm-up(s).`,
    columns: ['case', 'ms median (min–max)', 'over node -e 0 (ms)'],
    rows: CASES.map((c) => [c.name, fmtSummary(summarize(get(c.name))), c.name === 'node -e 0' ? '' : fmt(extra.get(c.name)?.median)]),
    ratios: [{ label: "daemonspec run --help vs node -e 0", value: median(get('daemonspec run --help').map((v, i) => v / base[i])) }],
    targets: [
      {
        target: "`import { daemonize } from 'daemonspec'` costs at most koffi's own import + 5 ms",
        met: overKoffi.n > 0 ? overKoffi.median <= 5 : null,
        detail: `${overKoffi.median < 0 ? `${fmt(-overKoffi.median)} ms less than` : `+${fmt(overKoffi.median)} ms over`} importing koffi (koffi itself +${fmt(extra.get("import 'koffi'")?.median)} ms over node -e 0)`,
      },
    ],
  };
}
