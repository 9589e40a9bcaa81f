/**
 * Why a target is missed, and the plan: printed under the targets when the benchmark reports
 * MISSED. Each reason comes from what the benchmark itself measures (the rows it names).
 */
/** @type {Array<[prefix: string, reason: string]>} */
export const MISSED_REASONS = [
  ["`import { daemonize } from 'daemonspec'` costs at most", 'What is left is the number of modules, not their work: a CPU profile of the import is Node\'s ESM loader (open, stat, read, compile) module after module, about 1 ms each on this VM, for 84 modules. The import no longer builds a diagnostic report to tell glibc from musl (process.report, 5-6 ms: /proc/self/maps instead) nor loads node:crypto (4-6 ms: Web Crypto on first use). The checker, isolations, reports, fuzz, trace and the start machinery load on first call (spec/project/import-graph.test.ts). An esbuild bundle with shared chunks was measured on 2026-12-03 under load: 45-60 ms against 110-130 ms unbundled, koffi alone 13 ms; so a bundle halves the cost but does not reach koffi + 5 ms (compiling the daemon side and the built-ins it loads remain). Plan: the bundle, with the files that locate the project root through import.meta.url reading it from one place.'],
  ['daemonize() time to ready', 'The daemon is a second Node process (posix_spawn of sh, which execs Node on the same script) and the original waits for its readiness: the floor is the script run plainly plus one bare Node start. What is above it is the package\'s import, paid twice (by the original and by the daemon): see the import-cost target. Plan: bundle the package entries so the import costs what koffi does.'],
  ['`daemonspec run` ≤', 'The CLI loads only the `run` command (src/cli/commands.ts), but that is still a Node start plus its argument parser, koffi and src/daemon, and the wait for the daemon\'s readiness; the chain itself adds a dash start (~1-3 ms). Plan: a smaller import graph on the `run` path (koffi declarations loaded on first use, a bundle).'],
  ['fd closing under 2 ms at any limit (close_range)', 'close_range itself is proportional to the open fds (about 1 µs per open /dev/null fd here, in the kernel); with 1000 open the median is near 1 ms and the shared VM\'s load pushes it over 2 ms. The limit does not matter (10 open: ~0.013 ms at 1024 and 20000).'],
  ['fd closing under 2 ms at any limit (the daemonizer', 'spawn.ts adds one posix_spawn_file_actions_addclosefrom_np action above the highest kept fd (close_range in the child) and one close action per open fd below it; what remains is the kernel closing the open fds, proportional to their number.'],
  ['fd closing at the hard limit with 1000 fds open', 'Both ways pay the 1000 real closes (about 1 µs each in the kernel); the loop adds only 19,000 cheap EBADF calls on top, so the ratio falls as the open fds approach the limit. With the usual handful of inherited fds (10 open) close_range is hundreds of times faster, and the loop\'s cost grows with the limit while close_range\'s does not (see the 1,048,576 row). Not a defect of the mechanism: the target assumes few open fds.'],
  ['a host check under 300 ms', 'A check is a pty launcher (bash), the command, the daemon search, /proc inspection, a terminal hang-up test and the stop, all sequential; a CLI check also pays a Node start with every import (the in-process check is about 250 ms: see "A check against the reference checker"). The 300 ms window after the hang-up is now cut short when the hang-up cannot reach the daemon (src/check/hangup-reach.ts; the report\'s `windows` says so). What is left of the windows is the settle: the daemon must stay unchanged for 150 ms after the pidfile or ready line is there, because a daemonizer may write its pidfile before the daemon has exec\'d or finished its set-up. Plan (checker): settle on an event of the daemon (its exec, seen through the proc connector or pidfd) instead of a quiet period.'],
  ['a check uses ≤ 100 ms of CPU', 'A check\'s CPU grows with the number of processes on the machine wherever it scans /proc: the daemon search and the stop now walk the checker\'s own tree (task/*/children) and scan every process only to confirm at the end (measured 60 ms on an idle machine, 95 ms with 370 processes; was 70 and 135). Plan: settle on events (pidfd, the proc connector) instead of 20 ms polls.'],
  ['docker under 1 s more', 'Each docker check starts a fresh container (see bench-matrix\'s `docker run --rm … true` floor) and a Node process inside it; on this VM a container start alone takes seconds. Plan: reuse one container per matrix run (docker exec per check).'],
  ['the whole matrix under 60 s', 'Dominated by the docker isolations (a container per check). Plan: one container per isolation, checks run with docker exec.'],
];

/**
 * The reason for a target, found by the start of its text; null when there is none.
 * @param {string} target
 * @returns {string | null}
 */
export function reasonFor(target) {
  return MISSED_REASONS.find(([prefix]) => target.startsWith(prefix))?.[1] ?? null;
}
