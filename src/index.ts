/**
 * daemonspec: make correct POSIX daemons from Node, and check any daemonizer.
 * This file only re-exports; each area lives in its own folder. What only a check, a fuzz run or a
 * start needs is loaded when first called (the lazy.ts files, issue 14.1): a daemon imports this too.
 */
export * from './errors.js';
export * from './daemon/index.js';
export * from './inspect/index.js';
export * from './check/public.js';
export { checkOnHost } from './check/lazy.js';
export { checkDaemon } from './isolation/lazy.js';
export { fuzzDaemon, type FuzzCounterexample, type FuzzOptions, type FuzzReport } from './fuzz/lazy.js';
