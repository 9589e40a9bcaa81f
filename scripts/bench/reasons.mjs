/**
 * Why a target is missed, and the plan: printed under the targets when the benchmark reports
 * MISSED. Each reason comes from what the benchmark itself measures (the rows it names).
 */
export const MISSED_REASONS = [
  ['daemonize() within', 'The daemon is a second Node process (posix_spawn of sh, which execs Node on the same script) and the original waits for its readiness, so the cost is at least two Node starts with their imports: the floor is about 2× the plain script (compare "floor: node script (plain)"). 1.25× is not reachable by a design that re-executes Node and waits for readiness; the npm daemon package, which does not wait, is in the same range. Plan: make the daemon-side start cheaper (import only src/daemon on that path, load koffi lazily) and restate the target as "plain start + one `node -e 0`".'],
  ['`daemonspec run` within', 'The CLI imports every command (check, inspect, matrix, koffi, commander) before running `run`: compare "daemonspec run" with "floor: node script (plain)", which imports the library. Plan: load each command module lazily in src/cli/commands.ts so `run` imports only src/daemon.'],
  ['fd closing under 2 ms at any limit (close_range)', 'close_range itself is proportional to the open fds (about 1 µs per open /dev/null fd here, in the kernel); with 1000 open the median is near 1 ms and the shared VM\'s load pushes it over 2 ms. The limit does not matter (10 open: ~0.013 ms at 1024 and 20000).'],
  ['fd closing under 2 ms at any limit (the daemonizer', 'spawn.ts lists /proc/self/fd and adds one posix_spawn close action per fd, each a koffi call, then the child closes them one by one. Plan (daemonizer): one posix_spawn_file_actions_addclosefrom_np(3) action (glibc ≥ 2.34; 2.36 here), i.e. close_range in the child.'],
  ['a host check under 300 ms', 'A check is a pty launcher (bash), the command, the daemon search, /proc inspection, a terminal hang-up test and the stop, all sequential; a CLI check also pays a Node start with every import. Plan (checker): time its phases and make the hang-up wait event-driven.'],
  ['docker under 1 s more', 'Each docker check starts a fresh container (see bench-matrix\'s `docker run --rm … true` floor) and a Node process inside it; on this VM a container start alone takes seconds. Plan: reuse one container per matrix run (docker exec per check).'],
  ['the whole matrix under 60 s', 'Dominated by the docker isolations (a container per check). Plan: one container per isolation, checks run with docker exec.'],
];

export function reasonFor(target) {
  return MISSED_REASONS.find(([prefix]) => target.startsWith(prefix))?.[1] ?? null;
}
