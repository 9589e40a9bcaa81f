/**
 * Children this process started to run a check elsewhere (an isolated check's `unshare` or
 * `docker run` client, a host check in a child process): genuine children, never orphans a host
 * check adopted. A host check running in this process at the same time (fuzz mixes both, a
 * caller without a subreaper going to a PID namespace) must leave them be (adopted.ts).
 */
export const isolatedRunners = new Set<number>();

/** The containers of the docker checks in flight (an interrupt removes those still there). */
export const liveContainers = new Set<string>();
