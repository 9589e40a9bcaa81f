#!/usr/bin/env node
// inspect(pid) cost on a process with ~10 fds and one with ~1000 fds.
// Run against the build: `npm run build && node scripts/bench-inspect.mjs [calls]`.
import { inspect } from 'daemonspec';
// The ffi calls below the public entry: through daemonspec/internal (not a public API).
import { kill, O, reap, spawn } from 'daemonspec/internal';

const CALLS = Number(process.argv[2] ?? 2000);
const TARGET_MS = 1;

/** @typedef {import('daemonspec/internal').FileAction} FileAction */

/**
 * @param {number} extraFds
 * @returns {number} the pid of a sleep with 0-2 and `extraFds` more fds on /dev/null
 */
function startSleep(extraFds) {
  /** @type {FileAction[]} */
  const fileActions = [
    { op: 'open', fd: 0, path: '/dev/null', flags: O.RDONLY },
    { op: 'open', fd: 1, path: '/dev/null', flags: O.WRONLY },
    { op: 'open', fd: 2, path: '/dev/null', flags: O.WRONLY },
  ];
  for (let i = 0; i < extraFds; i++) fileActions.push({ op: 'open', fd: 3 + i, path: '/dev/null', flags: O.RDONLY });
  return spawn({ path: '/bin/sleep', argv: ['sleep', '600'], env: process.env, fileActions, closeOtherFds: true });
}

/**
 * @param {number} pid
 * @param {number} count
 * @returns {Promise<void>}
 */
async function waitForFds(pid, count) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const s = inspect(pid);
    if (s.name === 'sleep' && s.fds?.length === count) return;
    if (Date.now() > deadline) throw new Error(`pid ${pid}: expected ${count} fds, saw ${s.fds?.length} (${s.name})`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * @param {number} pid
 * @param {number} calls
 * @returns {{ median: number, min: number, max: number, p95: number }} milliseconds per call
 */
function measure(pid, calls) {
  for (let i = 0; i < Math.min(200, calls); i++) inspect(pid); // warm up the JIT and the dentry cache
  const times = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint();
    inspect(pid);
    times[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  times.sort();
  return { median: times[calls >> 1], min: times[0], max: times[calls - 1], p95: times[Math.floor(calls * 0.95)] };
}

const cases = [
  { label: '~10 fds', fds: 10, calls: CALLS },
  { label: '~1000 fds', fds: 1000, calls: Math.max(50, Math.floor(CALLS / 20)) },
];
let met = true;
for (const c of cases) {
  const pid = startSleep(c.fds - 3);
  try {
    await waitForFds(pid, c.fds);
    const r = measure(pid, c.calls);
    const ok = r.median < TARGET_MS;
    if (c.fds <= 10) met &&= ok;
    console.log(
      `inspect(pid) ${c.label.padEnd(10)} calls=${String(c.calls).padStart(5)}  median ${r.median.toFixed(3)} ms  ` +
        `min ${r.min.toFixed(3)}  p95 ${r.p95.toFixed(3)}  max ${r.max.toFixed(3)}  ${ok ? 'under' : 'OVER'} ${TARGET_MS} ms`,
    );
  } finally {
    kill(pid, 9);
    await reap(pid);
  }
}
console.log(met ? `target met: inspect() of a typical daemon (~10 fds) takes under ${TARGET_MS} ms` : `target NOT met for ~10 fds`);
process.exitCode = met ? 0 : 1;
