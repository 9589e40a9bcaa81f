#!/usr/bin/env node
/**
 * `npm run bench`: daemonspec against its peers, one run on one machine.
 *
 *   node scripts/bench.mjs --help    (the options: USAGE below)
 *
 * --quick uses tiny repetition counts (for the test that the script runs); the figures are then
 * not meaningful. Sections: import cost, time to a ready daemon, how late a failed start is reported, closing inherited fds, checking, fuzz runs per second, memory,
 * and the other areas' part-benchmarks (scripts/bench-*.mjs), run as they are.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchChecks } from './bench/checks.mjs';
import { benchFailures } from './bench/failures.mjs';
import { benchFds } from './bench/fds.mjs';
import { benchFuzz } from './bench/fuzz.mjs';
import { benchImports } from './bench/imports.mjs';
import { describeMachine, loadAverage } from './bench/machine.mjs';
import { benchMemory } from './bench/memory.mjs';
import { PART_BENCHMARKS, runPartBenchmark } from './bench/others.mjs';
import { readyCases } from './bench/peers.mjs';
import { processesWithTag } from './bench/processes.mjs';
import { benchReady } from './bench/ready.mjs';
import { benchReference } from './bench/reference.mjs';
import { renderMarkdown, renderText } from './bench/report.mjs';

/** @typedef {import('./bench/report.mjs').Section} Section */
/** @typedef {import('./bench/others.mjs').PartResult} PartResult */

const SECTIONS = ['imports', 'ready', 'failures', 'fds', 'checks', 'reference', 'fuzz', 'memory', 'parts'];
const USAGE = `usage: node scripts/bench.mjs [--help] [--quick] [--rounds N] [--only ${SECTIONS.join(',')}] [--markdown FILE] [--json FILE] [--quiet]`;

/**
 * Bad input: one line with the fix, exit 2, before anything runs.
 * @param {string} message
 * @returns {never}
 */
function refuse(message) {
  process.stderr.write(`bench: ${message} (${USAGE})\n`);
  process.exit(2);
}

/** @returns {{ quick: boolean, rounds: number, only: Set<string>, markdown?: string, json?: string, quiet: boolean }} */
function parseBenchArgs() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        rounds: { type: 'string' },
        only: { type: 'string' },
        markdown: { type: 'string' },
        json: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    refuse(/** @type {Error} */ (error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const rounds = Number(values.rounds ?? (values.quick ? 1 : 15));
  if (!Number.isInteger(rounds) || rounds < 1) refuse(`--rounds must be a positive integer, not ${values.rounds}`);
  const only = new Set((values.only ?? SECTIONS.join(',')).split(',').filter((id) => id !== ''));
  const unknown = [...only].filter((id) => !SECTIONS.includes(id));
  if (only.size === 0) refuse(`--only names no section; the sections are ${SECTIONS.join(', ')}`);
  if (unknown.length > 0) refuse(`--only: no section ${unknown.join(', ')}; the sections are ${SECTIONS.join(', ')}`);
  return { quick: values.quick, rounds, only, markdown: values.markdown, json: values.json, quiet: values.quiet };
}

const values = parseBenchArgs();
const { quick, rounds, only } = values;
const warmup = quick ? 0 : 2;
/** @type {(line: string) => void} */
const log = values.quiet ? () => {} : (line) => process.stderr.write(`${line}\n`);

const machine = describeMachine();
/** @type {Section[]} */
const sections = [];
/** @type {PartResult[]} */
const parts = [];
/** @type {string[]} */
const failedSections = [];
const started = Date.now();
/**
 * Runs one section when --only asks for it; one that throws becomes a FAILED section.
 * @param {string} id
 * @param {() => Promise<Section>} fn
 */
const section = async (id, fn) => {
  if (!only.has(id)) return;
  log(`[${id}]`);
  try {
    sections.push(await fn());
  } catch (error) {
    const stack = error instanceof Error ? error.stack : undefined;
    sections.push({ id, title: `${id}: FAILED`, columns: ['error'], rows: [[stack ?? String(error)]], targets: [], ratios: [] });
    failedSections.push(id);
  }
};

await section('imports', () => benchImports({ rounds, warmup, log }));
await section('ready', () => benchReady({ rounds, warmup, log }));
await section('failures', () => benchFailures({ rounds, warmup, log }));
await section('fds', () => benchFds({ reps: quick ? 2 : 30, log }));
/** @type {PartResult[]} */
const consumed = [];
await section('checks', () => benchChecks({ rounds: quick ? 1 : Math.max(5, Math.ceil(rounds / 2)), warmup: quick ? 0 : 1, log, quick, consumed }));
await section('reference', () => benchReference({ rounds: quick ? 1 : Math.max(5, Math.ceil(rounds / 2)), warmup: quick ? 0 : 1, log }));
await section('fuzz', () => benchFuzz({ quick, log }));
await section('memory', () => {
  const daemonize = readyCases().find((c) => c.name === 'daemonize()');
  if (!daemonize) throw new Error('scripts/bench/peers.mjs has no daemonize() case');
  return benchMemory({ rounds: quick ? 1 : 5, warmup: quick ? 0 : 1, log, daemonizeSkip: daemonize.skip });
});
if (only.has('parts')) {
  for (const part of PART_BENCHMARKS) parts.push(consumed.find((c) => c.file === part.file) ?? (await runPartBenchmark(part, { quick, log })));
}

machine.loadEnd = loadAverage();
// Nothing the benchmark started may outlive it.
const left = processesWithTag('', { prefix: true });
const notes = [`Whole benchmark run: ${((Date.now() - started) / 1000).toFixed(0)} s.`];
if (left.length) notes.push(`LEFT RUNNING after the benchmark: ${left.map((p) => `${p.pid} ${p.cmdline}`).join('; ')}`);

const report = { machine, sections, parts, options: { quick, rounds, notes } };
process.stdout.write(`${renderText(report)}\n`);
for (const n of notes) process.stdout.write(`${n}\n`);
if (values.markdown) writeFileSync(values.markdown, renderMarkdown(report));
if (values.json) writeFileSync(values.json, `${JSON.stringify({ machine, sections, parts: parts.map(({ text, ...p }) => p), notes }, null, 2)}\n`);
if (left.length || failedSections.length) process.exitCode = 1;
