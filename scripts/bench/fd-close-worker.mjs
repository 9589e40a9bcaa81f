// Run under `prlimit --nofile=L:L`: measures, in this process, ways of closing N inherited
// (non-CLOEXEC) fds with RLIMIT_NOFILE = L, interleaved rep by rep. Prints one JSON object.
//   node fd-close-worker.mjs LIMIT OPEN REPS
// Node's own fds (epoll, eventfd, pipes) sit below M = the highest fd open at start; the
// benchmark's fds are numbered above M, so close_range(M+1, ~0) closes exactly them.
import { openSync } from 'node:fs';
// The ffi calls below the public entry: through daemonspec/internal (not a public API).
import { closeFrom, closeQuietly, openFds, reap, setCloexec, spawn } from 'daemonspec/internal';

const [limit, count, reps] = process.argv.slice(2).map(Number);
const base = Math.max(...openFds());
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** @param {number} n fds to open above base */
function openAbove(n) {
  let above = 0;
  while (above < n) {
    const fd = openSync('/dev/null', 'r');
    setCloexec(fd, false); // an inherited leak is not CLOEXEC: exec alone would not close it
    if (fd > base) above += 1; // a fd filling a hole below base stays open, uncounted
  }
}

const cases = {
  // daemonspec's primitive: close_range(2) via src/ffi/libc.ts closeFrom
  closeRange: async () => {
    openAbove(count);
    const t = nowMs();
    closeFrom(base + 1);
    return nowMs() - t;
  },
  // the seed / libslack way: close() every number up to the limit (from koffi: one FFI call each)
  loop: async () => {
    openAbove(count);
    const t = nowMs();
    for (let fd = base + 1; fd < limit; fd++) closeQuietly(fd);
    return nowMs() - t;
  },
  // what the daemonizer does: posix_spawn with closeOtherFds (list /proc/self/fd, one close
  // action per open fd, run in the child) — to /bin/true exiting, reaped
  spawnCloseOthers: async () => {
    openAbove(count);
    const t = nowMs();
    const pid = spawn({ path: '/bin/true', argv: ['true'], env: process.env, closeOtherFds: true });
    await reap(pid);
    const ms = nowMs() - t;
    closeFrom(base + 1);
    return ms;
  },
  // the same spawn leaving the fds to the child (they close when /bin/true exits)
  spawnInherit: async () => {
    openAbove(count);
    const t = nowMs();
    const pid = spawn({ path: '/bin/true', argv: ['true'], env: process.env });
    await reap(pid);
    const ms = nowMs() - t;
    closeFrom(base + 1);
    return ms;
  },
};

/** @typedef {keyof typeof cases} CaseName */

/**
 * What this worker prints: per way of closing, one sample (ms) per rep.
 * @typedef {{ limit: number, count: number, base: number, loopIterations: number, samples: Record<CaseName, number[]> }} Output
 */

const names = /** @type {CaseName[]} */ (Object.keys(cases));
const samples = /** @type {Record<CaseName, number[]>} */ (Object.fromEntries(names.map((k) => [k, /** @type {number[]} */ ([])])));
for (let w = 0; w < 2; w++) for (const k of names) await cases[k]();
for (let r = 0; r < reps; r++) {
  for (let i = 0; i < names.length; i++) {
    const k = names[(i + r) % names.length];
    samples[k].push(await cases[k]());
  }
}
process.stdout.write(JSON.stringify(/** @satisfies {Output} */ ({ limit, count, base, loopIterations: limit - base - 1, samples })) + '\n');
