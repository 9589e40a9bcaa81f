/**
 * daemonspec: make correct POSIX daemons from Node, and check any daemonizer.
 * This file only re-exports; each area lives in its own folder.
 */
export * from './errors.js';
export * from './daemon/index.js';
export * from './inspect/index.js';
export * from './check/index.js';
export { checkDaemon } from './isolation/index.js';
export { fuzzDaemon, type FuzzCounterexample, type FuzzOptions, type FuzzReport } from './fuzz/lazy.js';
