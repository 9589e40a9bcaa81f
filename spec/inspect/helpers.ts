import { readFileSync } from 'node:fs';
import { onTestFinished, vi } from 'vitest';
import { kill, processExists, reap } from '../../src/ffi/libc.js';
import { spawn, type SpawnRequest } from '../../src/ffi/spawn.js';
import { inspect } from '../../src/inspect/index.js';
import type { Snapshot } from '../../src/inspect/snapshot.js';

/**
 * Starts a real process with posix_spawn (our own ffi layer) and guarantees it is killed and
 * reaped when the test ends; started as a group leader (`setsid`, `pgroup: 0`), its whole
 * process group is killed too, whatever the test got to see of it. The environment keeps
 * DAEMONSPEC_TEST_RUN (global-setup's check).
 */
export function start(request: Omit<SpawnRequest, 'env'> & { env?: SpawnRequest['env'] }): number {
  const pid = spawn({ defaultSignals: 'all', blockedSignals: [], ...request, env: request.env ?? process.env });
  const leadsGroup = request.setsid === true || request.pgroup === 0;
  onTestFinished(async () => {
    // A group leader's children (a shell's sleeps) are in its group: they go with it (ESRCH: none left).
    if (leadsGroup) kill(-pid, 9);
    if (processExists(pid)) kill(pid, 9);
    await reap(pid).catch(() => undefined);
  });
  return pid;
}

/**
 * Polls until the process has exec'd `name` (comm) and, for sleep, sits in nanosleep (wchan): comm
 * changes at execve, while the dynamic loader still holds libc open for a moment after. A
 * handshake, not a sleep.
 */
export async function whenRunning(pid: number, name: string): Promise<Snapshot> {
  let last: Snapshot | undefined;
  await vi.waitFor(
    () => {
      last = inspect(pid);
      const settled = name !== 'sleep' || readFileSync(`/proc/${pid}/wchan`, 'latin1').includes('nanosleep');
      if (last.name !== name || last.state === 'Z' || !settled) {
        throw new Error(`pid ${pid} is still ${last.name} (state ${last.state}), waiting for ${name} to settle`);
      }
    },
    { timeout: 10_000, interval: 5 },
  );
  return last!;
}

export const SH = '/bin/sh';
export const SLEEP = '/bin/sleep';
