import type { CallerSpec } from '../check/caller-spec.js';
import { hostSubreaper } from '../check/subreaper.js';
import { usageError } from '../errors.js';
import { namespaceAvailability } from './namespace-availability.js';
import type { IsolationName } from './types.js';

/**
 * Where a caller's orphans go: the `subreaper` field of a planted caller, realised per isolation.
 *
 * - `true`: the checker is a subreaper (PR_SET_CHILD_SUBREAPER) above the caller and not PID 1,
 *   so the daemon's new parent is the checker. On the host as always; in a PID namespace or a
 *   container a shell is PID 1 and the checker its child (SUBREAPER_WRAPPER); docker-init's tini.
 * - `false`: no subreaper, the daemon is adopted by PID 1 (its getppid() is 1). The checker runs
 *   as PID 1 of a PID namespace or a container; a host check moves into a fresh PID namespace.
 */
export const SUBREAPER_WRAPPER = ['/bin/sh', '-c', '"$@"; exit $?', 'sh'] as const;

/** What each isolation gives without a planted caller (the checker PID 1 in a namespace or plain container). */
export function isolationSubreaper(isolation: IsolationName): boolean {
  return isolation === 'host' ? hostSubreaper() : isolation === 'docker-init';
}

/** The `subreaper` values a planted caller can have under `isolation`, the isolation's own first. */
export function subreaperChoices(isolation: IsolationName): boolean[] {
  switch (isolation) {
    case 'host':
      if (!hostSubreaper()) return [false];
      return namespaceAvailability().available ? [true, false] : [true];
    case 'docker-init':
      return [true];
    default:
      return [false, true];
  }
}

/**
 * The isolation that runs a check of `caller` asked for under `isolation`: a host check of a
 * caller without a subreaper runs in a PID namespace. Throws EUSAGE for what cannot be given.
 */
export function isolationForCaller(isolation: IsolationName, caller: CallerSpec | undefined): IsolationName {
  if (caller === undefined || caller.subreaper) return isolation;
  if (isolation === 'docker-init') {
    throw usageError('a caller without a subreaper (--caller-no-subreaper) cannot run under docker-init, whose checker sits under tini; use --isolation docker');
  }
  if (isolation !== 'host' || !hostSubreaper()) return isolation;
  const namespace = namespaceAvailability();
  if (!namespace.available) {
    throw usageError(`a caller without a subreaper (--caller-no-subreaper) runs the check as PID 1 of a PID namespace, and ${namespace.reason}; run as root, or use --isolation docker`);
  }
  return 'namespace';
}

/** The argv prefix that keeps the checker from being PID 1 when the caller wants a subreaper. */
export function pid1Wrapper(caller: CallerSpec | undefined): readonly string[] {
  return caller?.subreaper === true ? SUBREAPER_WRAPPER : [];
}
