import fc from 'fast-check';
import { CWD_KINDS, type CallerSpec, catchableSignals, EXTRA_FD_KINDS, STDIO_KINDS, TERMINAL_KINDS } from '../check/caller-spec.js';
import { UMASK_POOL } from '../check/trap-pools.js';

/**
 * The fast-check arbitrary of callers. Every field shrinks towards the caller a login shell
 * gives (the terminal on fds 0-2, no other fd, nothing blocked or ignored, the current
 * directory, no extra environment, the fd limit left alone, the foreground, not a session
 * leader, orphans going where the isolation sends them), so a shrunk counterexample keeps only what breaks the daemon.
 */
export interface CallerLimits {
  /** The highest extra fd number (below this process's soft RLIMIT_NOFILE, which must hold a copy above it). */
  maxFd: number;
  /** The highest soft RLIMIT_NOFILE to draw (the hard limit). */
  maxNofile: number;
  /** The umask the profile expects: never drawn, as a daemon that sets it could not be told from one that kept it. */
  expectedUmask: number | undefined;
  /** The `subreaper` values the isolation can give, its own first (isolation/subreaper.ts). */
  subreaper: readonly boolean[];
}

/** Signals that break daemonizers most often come first: constantFrom shrinks towards the front. */
const FIRST_SIGNALS = [17, 1, 13, 15, 22, 21, 14, 10, 12, 34, 64];

/**
 * The umask callers shrink to, and the baseline's: one of the trap pool's, which no common daemon
 * sets itself. 0, 022, 027 and 077 are each some daemon's own (nginx sets 0): a baseline with
 * one of them could not tell that daemon's umask from the caller's, and run-caller.ts tells them
 * apart from the baseline.
 */
export const BASELINE_UMASK = UMASK_POOL[0]!;

export const MAX_EXTRA_FDS = 4;
export const MIN_NOFILE = 20;
const MAX_ENV_BYTES = 100_000;

export function callerArbitrary(limits: CallerLimits): fc.Arbitrary<CallerSpec> {
  const signals = [...FIRST_SIGNALS, ...catchableSignals().filter((n) => !FIRST_SIGNALS.includes(n))];
  const signalSet = fc.uniqueArray(fc.constantFrom(...signals), { maxLength: 4 });
  const fdNumber = fc.oneof(fc.integer({ min: 3, max: 64 }), fc.integer({ min: 3, max: limits.maxFd }));
  const extraFd = fc.record({ fd: fdNumber, kind: fc.constantFrom(...EXTRA_FD_KINDS), cloexec: fc.boolean() });
  const stdio = fc.constantFrom(...STDIO_KINDS);
  // XOR keeps 0..0o777 whole and moves the shrink target from 0 to BASELINE_UMASK.
  const umask = fc.integer({ min: 0, max: 0o777 }).map((u) => u ^ BASELINE_UMASK).filter((u) => u !== limits.expectedUmask);
  return fc.record({
    stdio: fc.tuple(stdio, stdio, stdio),
    fds: fc.uniqueArray(extraFd, { maxLength: MAX_EXTRA_FDS, selector: (f) => f.fd }),
    blocked: signalSet,
    ignored: signalSet,
    umask,
    cwd: fc.constantFrom(...CWD_KINDS),
    envBytes: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: MAX_ENV_BYTES })),
    nofile: fc.option(fc.integer({ min: MIN_NOFILE, max: limits.maxNofile }), { nil: null }),
    terminal: fc.constantFrom(...TERMINAL_KINDS),
    sessionLeader: fc.boolean(),
    subreaper: fc.constantFrom(...limits.subreaper),
  });
}

/** The smallest caller of the arbitrary: what every field shrinks to (the baseline run). */
export function smallestCaller(limits: CallerLimits): CallerSpec {
  return {
    stdio: ['tty', 'tty', 'tty'],
    fds: [],
    blocked: [],
    ignored: [],
    umask: limits.expectedUmask === BASELINE_UMASK ? UMASK_POOL[1]! : BASELINE_UMASK,
    cwd: 'here',
    envBytes: 0,
    nofile: null,
    terminal: 'foreground',
    sessionLeader: false,
    subreaper: limits.subreaper[0]!,
  };
}
