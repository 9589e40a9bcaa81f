/**
 * `daemonspec/internal`: NOT a public API. What the project's own benchmarks (scripts/bench*)
 * measure below the public entry: the fd-closing spawn and the libc calls around it, the
 * isolations, the matrix, and the checker loaded eagerly (the public checkDaemon loads it on first
 * call, which would land inside a measured sample). It may change in any release without notice;
 * it exists so that the scripts go through an entry of the package rather than paths into dist/.
 */
export { openFds, spawn, type FileAction } from './ffi/spawn.js';
export { closeFrom, closeQuietly, kill, reap, setCloexec } from './ffi/libc.js';
export { O } from './ffi/constants.js';
export { CONTAINER_WORK, DEFAULT_IMAGE, isolationAvailability, runIsolated, type IsolationName } from './isolation/index.js';
export { runMatrix } from './matrix/index.js';
export { checkOnHost } from './check/index.js';
