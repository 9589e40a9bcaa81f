/**
 * The part-benchmarks other engineers own (scripts/bench-daemonize.mjs, bench-inspect.mjs,
 * bench-matrix.mjs): run as they are, never edited. With `--json` support their figures are
 * parsed and tabulated; otherwise their text output is included verbatim.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './paths.mjs';
import { run } from './processes.mjs';

/**
 * A part-benchmark: its file (from the project root), the area that owns it, what it measures.
 * @typedef {{ file: string, owner: string, title: string }} PartBenchmark
 */

/**
 * A parsed JSON value (what JSON.parse returns). The arrays have their own typedef: written
 * inline, `JsonValue[]` makes tsc report the JSDoc alias as circular.
 * @typedef {string | number | boolean | null | JsonArray | { [key: string]: JsonValue }} JsonValue
 */
/** @typedef {JsonValue[]} JsonArray */

/**
 * How a part-benchmark ran: `absent` (no such file), `failed` (`text`: the tail of its stdout and
 * stderr), `json` (`data`: its --json output, parsed) or `text` (`text`: its stdout). `args` are
 * the flags it was given, `wallMs` how long it took.
 * @typedef {PartBenchmark & (
 *   | { status: 'absent', args?: undefined, wallMs?: undefined, text?: undefined, data?: undefined }
 *   | { status: 'failed' | 'text', args: string[], wallMs: number, text: string, data?: undefined }
 *   | { status: 'json', args: string[], wallMs: number, text?: undefined, data: JsonValue }
 * )} PartResult
 */

/** @type {PartBenchmark[]} */
export const PART_BENCHMARKS = [
  { file: 'scripts/bench-daemonize.mjs', owner: 'daemonizer', title: 'daemonize() vs plain Node; fd closing (the daemonizer\'s own benchmark)' },
  { file: 'scripts/bench-inspect.mjs', owner: 'inspector', title: 'inspect(pid) and one check end to end (the checker\'s own benchmark)' },
  { file: 'scripts/bench-matrix.mjs', owner: 'matrix', title: 'matrix wall time and per-isolation check overhead (the matrix\'s own benchmark)' },
];

/**
 * Flattens a JSON value into [path, value] rows (its leaves: strings, numbers, booleans, null), for a generic table.
 * @param {JsonValue} value
 * @param {string} [prefix] the path of `value` itself
 * @param {Array<[string, string | number | boolean | null]>} [out] appended to, and returned
 * @returns {Array<[string, string | number | boolean | null]>}
 */
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

/**
 * Runs one part-benchmark as it is (with --json and --quick when its source mentions them).
 * @param {PartBenchmark} part
 * @param {{ quick: boolean, log: (line: string) => void }} options
 * @returns {Promise<PartResult>}
 */
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
