import { optionalFunc } from './library.js';

/**
 * Probes for optional C library calls, for `daemonspec doctor`. Declaring a function is
 * enough to know whether the C library exports it; nothing here is called.
 */

/** posix_spawn_file_actions_addchdir_np: glibc ≥ 2.29, musl ≥ 1.1.24, macOS ≥ 10.15. */
export function hasSpawnChdir(): boolean {
  return optionalFunc('int posix_spawn_file_actions_addchdir_np(void *actions, const char *path)') !== null;
}
