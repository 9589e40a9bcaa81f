/**
 * The daemonizer: `daemonize()` inside a Node script, `spawnDaemon()` for any program,
 * `stopDaemon()` / `daemonStatus()` for a pidfile. See docs/daemonizer.md.
 */
export { daemonize, daemonized, runAsDaemon } from './daemonize.js';
export type { DaemonHandle } from './handle.js';
export type { DaemonOptions, DaemonizeOptions, SpawnDaemonOptions } from './options.js';
export { spawnDaemon } from './spawn-daemon.js';
export type { StartedDaemon } from './launch.js';
export { classifyPidfile, daemonStatus, stopDaemon, LSB, type DaemonStatus, type PidfileState, type StopOptions, type StopResult } from './control.js';
export { readPidfile, removeStalePidfile, type PidfileInfo } from './pidfile.js';
export { sdNotify } from './notify.js';
