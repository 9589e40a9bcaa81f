/**
 * daemonspec: make correct POSIX daemons from Node, and check any daemonizer.
 * This file only re-exports; each area lives in its own folder. A daemon imports this too, so it
 * holds the daemonizer, inspection and the checker's functions, which load what a check, a fuzz
 * run or a start needs when first called (the lazy.ts files, issue 14.1). The checker's data (rule
 * lists, profiles, the caller spec, fixture manifests) is `daemonspec/check`; its types are here too.
 */
export * from './errors.js';
export * from './daemon/index.js';
export * from './inspect/index.js';
export type * from './check/public.js';
export { checkOnHost } from './check/lazy.js';
export { checkDaemon } from './isolation/lazy.js';
export { fuzzDaemon, type FuzzCounterexample, type FuzzOptions, type FuzzReport } from './fuzz/lazy.js';
