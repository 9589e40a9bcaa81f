/**
 * Why a target is missed, and the plan: printed under the targets when the benchmark reports
 * MISSED. Each reason comes from what the benchmark itself measures (the rows it names).
 */
/** @type {Array<[prefix: string, reason: string]>} */
export const MISSED_REASONS = [
  ["`import { daemonize } from 'daemonspec'` costs at most", 'What is left is the number of modules, not their work: a CPU profile of the import is Node\'s ESM loader (resolve, stat, read, compile) module after module, about 1 ms each on this VM. The entry now loads 82 modules (was 144): the daemon side (ffi, inspect, pidfile, control), and the rule lists and profiles it exports as values. The checker, isolations, reports, fuzz, trace and the start machinery load on first call (spec/project/import-graph.test.ts). An experiment bundling the daemon side into one file with esbuild brought its import to koffi\'s own cost; not adopted this round, because the package\'s files locate each other through import.meta.url (the project root, the schemas, the CLI) and a second copy of the error class beside the unbundled CLI and matchers needs care. Plan: bundle the two package entries with shared chunks, and load each OS\'s backend alone.'],
  ['daemonize() within', 'The daemon is a second Node process (posix_spawn of sh, which execs Node on the same script) and the original waits for its readiness, so the cost is at least two Node starts with their imports: the floor is about 2× the plain script (compare "floor: node script (plain)"). 1.25× is not reachable by a design that re-executes Node and waits for readiness; the npm daemon package, which does not wait, is in the same range. See the import-cost section: both processes pay the package\'s import. Plan: the bundle named under the import target, then restate this target as "plain start + one `node -e 0`" (issue 14.1).'],
  ['`daemonspec run` within', 'The CLI loads only the `run` command (src/cli/commands.ts), but that is still a Node start plus commander, koffi and src/daemon: "daemonspec run" costs about what "floor: node script (plain)" does, which imports the library. The chain itself adds a dash start (~1-3 ms). Plan: a smaller import graph on the `run` path (koffi declarations loaded on first use).'],
  ['fd closing under 2 ms at any limit (close_range)', 'close_range itself is proportional to the open fds (about 1 µs per open /dev/null fd here, in the kernel); with 1000 open the median is near 1 ms and the shared VM\'s load pushes it over 2 ms. The limit does not matter (10 open: ~0.013 ms at 1024 and 20000).'],
  ['fd closing under 2 ms at any limit (the daemonizer', 'spawn.ts adds one posix_spawn_file_actions_addclosefrom_np action above the highest kept fd (close_range in the child) and one close action per open fd below it; what remains is the kernel closing the open fds, proportional to their number.'],
  ['fd closing at the hard limit with 1000 fds open', 'Both ways pay the 1000 real closes (about 1 µs each in the kernel); the loop adds only 19,000 cheap EBADF calls on top, so the ratio falls as the open fds approach the limit. With the usual handful of inherited fds (10 open) close_range is hundreds of times faster, and the loop\'s cost grows with the limit while close_range\'s does not (see the 1,048,576 row). Not a defect of the mechanism: the target assumes few open fds.'],
  ['a host check under 300 ms', 'A check is a pty launcher (bash), the command, the daemon search, /proc inspection, a terminal hang-up test and the stop, all sequential; a CLI check also pays a Node start with every import. Two fixed windows make up about 450 ms of it: the daemon must stay unchanged for 150 ms to count as settled when neither --pidfile nor --ready-log marks readiness, and it must still be alive 300 ms after the hang-up (a daemon killed by SIGHUP needs that long to be seen dead under load). Plan (checker): end the hang-up window early on a pidfd/exit event, and settle on the pidfile or ready line alone when one is given.'],
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
