import { currentOs } from '../ffi/platform.js';
import { openLinuxLifeLine } from './parent-death-linux.js';

/*
 * The outer sh of the chain must not outlive a starter that is SIGKILLed (issue 13): once the
 * daemon runs, the outer sh only waits for it, and nothing else would ever end it. posix_spawn
 * cannot set a parent-death signal, and no JavaScript may run in a forked child, so the tie is
 * made from outside the outer: a pipe whose read end only the outer holds and whose write end
 * only the starter holds (close-on-exec, so no other child of the starter gets it). The kernel
 * signals the reader when the last writer is gone (parent-death-linux.ts).
 *
 * macOS has no F_SETSIG (its SIGIO would not end a stopped outer, and is not tried): there the
 * outer sh of a start whose starter was SIGKILLed after the daemon was released lives until the
 * daemon exits (docs/limits.md).
 */

/** The tie between the starter's life and the outer sh's. */
export interface LifeLine {
  /** The read end, for the chain (the outer's fd ChainFds.life). */
  readonly chainSide: number;
  /** The chain runs: `outer` is the process the kernel kills once this process is gone; this process's read end is closed. */
  bind(outer: number): void;
  /** Closes the write end (the start is over and the outer gone). Idempotent. */
  close(): void;
}

/**
 * A life line for this OS, or null where there is none: macOS, and a Linux whose kernel (or a
 * sandbox's, gVisor's) refuses O_ASYNC or F_SETSIG on a pipe: the start goes on without the tie,
 * as on macOS (docs/limits.md), rather than failing.
 */
export function openLifeLine(): LifeLine | null {
  return currentOs() === 'linux' ? openLinuxLifeLine() : null;
}
