import type { CwdOrigin } from './caller-cwd.js';
import type { CallerSpec } from './caller-spec.js';
import type { TrapObject } from './traps.js';

/**
 * The caller the checker planted before running the command: the state a daemonizer must not
 * pass on to its daemon. Rules compare the daemon with this record to tell inherited state
 * (still equal to what was planted) from state the program chose itself.
 *
 * This is the contract between the code that plants a caller (the launcher, the seeded trap
 * pools, `daemonspec fuzz`) and the code that judges (src/check/rules/).
 */
export interface PlantedCaller {
  /** The seed the trap values were drawn from; replay a run with `--seed`. Null: fixed traps. */
  seed: string | null;
  /** Signals blocked in the launcher when it ran the command (numbers). */
  blockedSignals: number[];
  /** Signals set to SIG_IGN in the launcher when it ran the command (numbers). */
  ignoredSignals: number[];
  /** The umask the command was started with. */
  umask: number;
  /** The working directory the command was started from (absolute, resolved). */
  cwd: string;
  /**
   * `user`: the directory the check was started from (relative arguments work); `trap`: a fresh
   * temporary directory, used when the user's directory is the expected one (caller-cwd.ts).
   */
  cwdOrigin: CwdOrigin;
  /** The leaked fds handed to the command, known by identity. */
  fds: TrapObject[];
  /** Supplementary groups planted in the caller (`check --user`: gid 0 and a trap group); absent: the checker's own. */
  groups?: number[];
  /** The caller as given (`check --caller-json`, `daemonspec fuzz`); absent for the seeded fixed traps. */
  spec?: CallerSpec;
}
