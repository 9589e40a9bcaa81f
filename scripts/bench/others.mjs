/**
 * The part-benchmarks other engineers own (scripts/bench-daemonize.mjs, bench-inspect.mjs,
 * bench-matrix.mjs): run as they are, never edited. With `--json` support their figures are
 * parsed and tabulated; otherwise their text output is included verbatim.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './peers.mjs';
import { run } from './processes.mjs';

export const PART_BENCHMARKS = [
  { file: 'scripts/bench-daemonize.mjs', owner: 'daemonizer', title: 'daemonize() vs plain Node; fd closing (the daemonizer\'s own benchmark)' },
  { file: 'scripts/bench-inspect.mjs', owner: 'inspector', title: 'inspect(pid) and one check end to end (the checker\'s own benchmark)' },
  { file: 'scripts/bench-matrix.mjs', owner: 'matrix', title: 'matrix wall time and per-isolation check overhead (the matrix\'s own benchmark)' },
];

/** Flattens a JSON value into [path, value] rows (numbers and strings only), for a generic table. */
export function flatten(value, prefix = '', out = []) {
  if (value === null || typeof value !== 'object') {
    out.push([prefix || '(value)', value]);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

export async function runPartBenchmark(part, { quick, log }) {
  const path = join(root, part.file);
  if (!existsSync(path)) return { ...part, status: 'absent' };
  const source = readFileSync(path, 'utf8');
  const json = source.includes('--json');
  const args = [...(json ? ['--json'] : []), ...(quick && source.includes('--quick') ? ['--quick'] : [])];
  log(`  running ${part.file} ${args.join(' ')}`);
  const started = Date.now();
  const result = await run([process.execPath, path, ...args], { cwd: root, timeoutMs: quick ? 120_000 : 900_000 });
  const wallMs = Date.now() - started;
  if (result.exitCode !== 0) {
    return { ...part, status: 'failed', args, wallMs, text: `${result.stdout}\n${result.stderr}`.trim().slice(-3000) };
  }
  if (json) {
    try {
      const data = JSON.parse(result.stdout);
      return { ...part, status: 'json', args, wallMs, data };
    } catch {
      // printed something else after all: keep the text
    }
  }
  return { ...part, status: 'text', args, wallMs, text: result.stdout.trim() };
}
