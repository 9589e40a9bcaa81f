import { SIGNALS } from '../../ffi/constants.js';
import { type CheckScope, reapAdoptedZombies } from '../adopted.js';
import type { CleanupResult } from '../report-types.js';
import { stopEverything } from '../stop.js';
import type { StopObservation } from './observations.js';
import { pidfileText } from './read-pidfile.js';
import type { LifecycleRequest } from './request.js';
import { runStopCommand } from './stop-command.js';
import { daemonAndDescendants, signalTargets, waitGone } from './wait-gone.js';

const { SIGTERM } = SIGNALS;
const POLL_MS = 20;

/**
 * Reaps what the check adopted while `work` runs: the checker stands in for init, and a stop
 * command that waits for the pid to vanish (start-stop-daemon --retry) would wait for ever on
 * a zombie nobody reaps.
 */
async function reapingWhile<T>(scope: CheckScope, work: Promise<T>): Promise<T> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  while (!done) {
    reapAdoptedZombies(scope);
    await Promise.race([settled.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, POLL_MS))]);
  }
  return settled;
}

/** What a stop needs: how (SIGTERM unless a stop command), how long, and the pidfile to read after it (null: none). */
export type StopRequest = Pick<LifecycleRequest, 'stopCommand' | 'stopTimeoutMs' | 'env' | 'cwd'> & { pidfile: string | null };

/**
 * `stops-on-sigterm` and `pidfile-removed`: SIGTERM to the daemon (or the tool's stop command),
 * then everything the daemon had started must end by the deadline; the pidfile is read once it
 * has. What survives is killed afterwards (stopEverything). A new-style service
 * (`--profile systemd`) is stopped the same way, with SIGTERM to its own process and no pidfile.
 */
export async function stopDaemon(
  request: StopRequest,
  scope: CheckScope,
  daemon: number,
): Promise<{ observation: StopObservation; cleanup: CleanupResult }> {
  const targets = daemonAndDescendants(scope, daemon);
  const deadline = Date.now() + request.stopTimeoutMs;
  const command = request.stopCommand;
  let stopCommandExit: number | null = null;
  let stopCommandOutput: string[] = [];
  if (command === undefined) {
    signalTargets(new Map([...targets].filter(([pid]) => pid === daemon)), SIGTERM);
  } else {
    const result = await reapingWhile(scope, runStopCommand(command, request.env, request.cwd, deadline));
    stopCommandExit = result.exit;
    stopCommandOutput = result.lastLines;
  }
  const survivors = await waitGone(scope, targets, deadline);
  const observation: StopObservation = {
    how: command === undefined ? 'SIGTERM' : 'stop-command',
    stopCommand: command ?? null,
    stopCommandExit,
    stopCommandOutput,
    deadlineMs: request.stopTimeoutMs,
    targets: [...targets.keys()].sort((a, b) => a - b),
    survivors,
    pidfileAfter: request.pidfile === null ? null : pidfileText(request.pidfile),
  };
  return { observation, cleanup: await stopEverything(scope, survivors) };
}
