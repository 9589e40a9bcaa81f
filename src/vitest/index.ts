/**
 * `daemonspec/vitest`: matchers for check reports, and a check that cleans up after itself.
 * Importing this module installs the matchers with `expect.extend`.
 * @example
 * import { checkDaemonAndCleanup } from 'daemonspec/vitest';
 * it('daemonizes correctly', async () => {
 *   expect(await checkDaemonAndCleanup(['./mydaemon', '--detach'], { pidfile })).toConform('sysv');
 * });
 */
import { expect } from 'vitest';
import { toSurviveCallers } from './fuzz.js';
import { matchers, type DaemonspecMatchers } from './matchers.js';

expect.extend({ ...matchers, toSurviveCallers });

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends DaemonspecMatchers<T> {}
}

export { matchers, describeRule, type DaemonspecMatchers } from './matchers.js';
export { checkDaemonAndCleanup, processesMarked, CHECK_MARKER } from './cleanup.js';
export { fuzzDaemonAndCleanup, toSurviveCallers } from './fuzz.js';
