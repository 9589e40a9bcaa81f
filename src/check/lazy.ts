import type { CheckReport, HostCheckOptions } from './report-types.js';

/**
 * checkOnHost for the package entry: the checker's machinery (launcher, daemon search,
 * inspection) is loaded when a check first runs, so a daemon that imports daemonspec for
 * `daemonize()` does not pay for it (issue 14.1). See ./index.ts for what it does.
 */
export async function checkOnHost(command: readonly string[], options: HostCheckOptions = {}): Promise<CheckReport> {
  return (await import('./index.js')).checkOnHost(command, options);
}
