import type { CallerSpec } from './caller-spec.js';
import type { LifecycleRequest } from './lifecycle/request.js';
import type { ResolvedProfile } from './profiles.js';
import type { ExpectedUser } from './user/expected-user.js';

/** What one run of a check is asked to do (checkOnHost builds it from the options). */
export interface RunOnceRequest {
  command: string[];
  profile: ResolvedProfile;
  timeoutMs: number;
  env: Record<string, string>;
  /** The seed the traps are drawn from (trap-pools.ts). */
  seed: string;
  /** With `--lifecycle`: how to stop the daemon; null: the life-cycle rules are not judged. */
  lifecycle: Pick<LifecycleRequest, 'stopCommand' | 'stopTimeoutMs'> | null;
  /** With `--user NAME`: who the daemon must be, and the groups planted in the caller (null: none planted). */
  user: { expected: ExpectedUser; plantedGroups: number[] | null } | null;
  /** A caller to plant instead of the seeded traps (caller-spec.ts). */
  caller?: CallerSpec | undefined;
  /** `--trace`: the strace to run the launcher under (checked by requireStrace before the first run). */
  strace?: string | undefined;
  /** With `--notify-fd N`: the fd number the command gets the notification pipe at; null: none. */
  notifyFd: number | null;
  /** With `--notify`: the command gets a NOTIFY_SOCKET owned by the checker. */
  notify: boolean;
}
