import { createHash, randomBytes } from 'node:crypto';
import { DaemonspecError } from '../errors.js';
import { TRAP_SIGNAL_POOL } from '../ffi/constants.js';

/**
 * The values the checker plants in the caller, drawn per run from pools with a seed, so a
 * program whose own choice happens to equal one trap (a daemon that sets umask 037 itself) is
 * not misjudged on the next run, and any run can be replayed exactly with `--seed`.
 */
export interface TrapPlan {
  seed: string;
  /** Blocked in the launcher (posix_spawn's signal mask), so in the command unless it unblocks them (one, today). */
  blockedSignals: number[];
  /** Set to SIG_IGN by the launcher shell (one, today). */
  ignoredSignals: number[];
  umask: number;
  /** The numbers the leaked pipe and file get in the command. */
  fdNumbers: { pipe: number; file: number };
  /** The last component of the working directory the command starts in (inside a fresh temporary directory). */
  cwdName: string;
}

/**
 * Umasks no common tool uses (not 000, 002, 006, 007, 022, 026, 027, 037, 077); the owner
 * bits are always clear, so a daemon that keeps one still works and is judged, not broken.
 */
export const UMASK_POOL: readonly number[] = [0o013, 0o031, 0o035, 0o041, 0o043, 0o053, 0o061, 0o065, 0o071, 0o073];
/** Leaked fds sit between 10 (above what a shell or a runtime opens first) and 1000 (select() still sees them); not bash's 255. */
export const FD_RANGE = { min: 10, max: 999 } as const;
/** One blocked and one ignored per run: a program that blocks or ignores a pool signal itself is misjudged only on the runs that draw it. */
const SIGNALS_EACH = 1;

const SEED_PATTERN = /^[\w.-]{1,64}$/;

/** A fresh seed: 8 hex digits. */
export function newSeed(): string {
  return randomBytes(4).toString('hex');
}

/** Refuses a seed that could not be printed and retyped (EUSAGE). */
export function validateSeed(seed: string): string {
  if (!SEED_PATTERN.test(seed)) {
    throw new DaemonspecError('EUSAGE', `--seed: ${JSON.stringify(seed)} is not a seed; use 1-64 letters, digits, '.', '_' or '-' (as printed in a report)`);
  }
  return seed;
}

/** A deterministic stream of numbers in [0, 1) from a seed (SHA-256 in counter mode). */
function stream(seed: string): () => number {
  let counter = 0;
  let block = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset + 4 > block.length) {
      block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      offset = 0;
    }
    const value = block.readUInt32BE(offset);
    offset += 4;
    return value / 2 ** 32;
  };
}

function pick<T>(pool: readonly T[], count: number, next: () => number): T[] {
  const rest = [...pool];
  const out: T[] = [];
  for (let i = 0; i < count && rest.length > 0; i++) out.push(rest.splice(Math.floor(next() * rest.length), 1)[0]!);
  return out;
}

/**
 * The traps for one run; the same seed gives the same plan (on the same OS and under the same fd
 * limit). `trapMax` is the highest fd number drawn: src/check/fd-layout.ts lowers it under a low limit.
 */
export function planTraps(seed: string = newSeed(), signalPool: readonly number[] = TRAP_SIGNAL_POOL, trapMax: number = FD_RANGE.max): TrapPlan {
  validateSeed(seed);
  const next = stream(seed);
  const signals = pick(signalPool, SIGNALS_EACH * 2, next);
  const fdPool = Array.from({ length: Math.min(FD_RANGE.max, trapMax) - FD_RANGE.min + 1 }, (_, i) => FD_RANGE.min + i).filter((fd) => fd !== 255);
  const [pipe, file] = pick(fdPool, 2, next) as [number, number];
  const cwdName = `caller-${Math.floor(next() * 0xffffff).toString(16).padStart(6, '0')}`;
  return {
    seed,
    blockedSignals: signals.slice(0, SIGNALS_EACH).sort((a, b) => a - b),
    ignoredSignals: signals.slice(SIGNALS_EACH).sort((a, b) => a - b),
    umask: pick(UMASK_POOL, 1, next)[0]!,
    fdNumbers: { pipe, file },
    cwdName,
  };
}
