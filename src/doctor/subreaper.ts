import { isChildSubreaper, setChildSubreaper } from '../ffi/libc.js';
import type { DoctorCheck } from './types.js';

/**
 * Whether PR_SET_CHILD_SUBREAPER works here. Touches process-global state briefly: the flag is
 * set and cleared again in this process, and left alone when it was already set (a checker
 * running in the same process keeps its flag).
 */
export function probeSubreaper(): DoctorCheck {
  const base = { id: 'subreaper' as const, title: 'Child subreaper (PR_SET_CHILD_SUBREAPER)' };
  if (process.platform !== 'linux') {
    return {
      ...base,
      status: 'warn',
      value: false,
      meaning:
        'macOS has no subreaper: orphans go to launchd. The checker finds the daemon through the pidfile or by session search instead, and `reparented` expects PID 1.',
      fix: 'Give the daemon a pidfile (--pidfile) so the checker finds it reliably.',
    };
  }
  let error: string | null = null;
  if (!isChildSubreaper()) {
    try {
      setChildSubreaper(true);
      if (!isChildSubreaper()) error = 'the flag did not stick';
      setChildSubreaper(false);
    } catch (e) {
      error = (e as Error).message;
    }
  }
  return {
    ...base,
    status: error ? 'missing' : 'ok',
    value: error === null,
    meaning: error
      ? `The checker cannot adopt orphans (${error}): a daemon without a pidfile may not be found, and \`reparented\` cannot be judged against the checker.`
      : 'The checker adopts the daemon when its parent exits: it finds daemons without a pidfile and can reap them.',
    fix: error ? 'prctl(PR_SET_CHILD_SUBREAPER) needs Linux ≥ 3.4; a seccomp profile may block it (docker: --security-opt seccomp=unconfined).' : null,
  };
}
