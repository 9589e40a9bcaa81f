import type { CheckScope } from '../adopted.js';
import type { StopObservation } from '../lifecycle/observations.js';
import { DEFAULT_STOP_TIMEOUT_MS } from '../lifecycle/request.js';
import { daemonAndDescendants, signalTargets, waitGone } from '../lifecycle/wait-gone.js';
import type { CleanupResult } from '../report-types.js';
import { stopEverything } from '../stop.js';

const SIGTERM = 15;

/**
 * `stops-on-sigterm` for a service, as systemd stops a unit (KillMode=control-group): SIGTERM to
 * the main process, then it and everything it started must end by the deadline. What survives
 * is killed afterwards.
 */
export async function stopService(scope: CheckScope, mainPid: number, stopTimeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<{ observation: StopObservation; cleanup: CleanupResult }> {
  const targets = daemonAndDescendants(scope, mainPid);
  const deadline = Date.now() + stopTimeoutMs;
  signalTargets(new Map([...targets].filter(([pid]) => pid === mainPid)), SIGTERM);
  const survivors = await waitGone(scope, targets, deadline);
  const observation: StopObservation = {
    how: 'SIGTERM',
    stopCommand: null,
    stopCommandExit: null,
    stopCommandOutput: [],
    deadlineMs: stopTimeoutMs,
    targets: [...targets.keys()].sort((a, b) => a - b),
    survivors,
    pidfileAfter: null,
  };
  return { observation, cleanup: await stopEverything(scope, survivors) };
}
