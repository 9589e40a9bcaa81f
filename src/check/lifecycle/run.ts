import { rmSync } from 'node:fs';
import { isRunning } from '../../inspect/index.js';
import type { CheckScope } from '../adopted.js';
import type { CleanupResult } from '../report-types.js';
import type { LifecycleObservations } from './observations.js';
import type { LifecycleRequest } from './request.js';
import { secondStart } from './second-start.js';
import { stalePidfile } from './stale-pidfile.js';
import { stopDaemon } from './stop-daemon.js';

export interface LifecycleRun {
  observations: LifecycleObservations;
  cleanup: CleanupResult;
}

/**
 * The daemon's later life, after the start rules were judged on it: a second start while it
 * runs, the stop (SIGTERM or the tool's stop command), then fresh starts over a stale pidfile.
 * Each step stops what it started; the first daemon is stopped by the stop step.
 */
export async function runLifecycle(
  request: LifecycleRequest,
  first: { scope: CheckScope; daemon: { pid: number; startTime: number } | null; pidfileAtExit: string | null | undefined },
): Promise<LifecycleRun> {
  const observations: LifecycleObservations = { pidfileAtExit: first.pidfileAtExit, secondStart: null, stop: null, stale: null, notRun: 'no daemon' };
  const stopped: number[] = [];
  const leftRunning: number[] = [];
  const add = (cleanup: CleanupResult): void => {
    stopped.push(...cleanup.stopped);
    leftRunning.push(...cleanup.leftRunning);
  };
  const { daemon } = first;
  if (daemon === null) return { observations, cleanup: { stopped, leftRunning } };
  const second = await secondStart(request, daemon);
  observations.secondStart = second.observation;
  add(second.cleanup);
  if (isRunning(daemon.pid, daemon.startTime)) {
    const stop = await stopDaemon(request, first.scope, daemon.pid);
    observations.stop = stop.observation;
    add(stop.cleanup);
  } else {
    observations.notRun = `the daemon (pid ${daemon.pid}) had already ended before the stop (see second-start-refused)`;
  }
  // Whatever the stop left is stale now: the stale-pidfile cases set up their own.
  rmSync(request.pidfile, { force: true });
  const stale = await stalePidfile(request);
  observations.stale = stale.observation;
  add(stale.cleanup);
  return { observations, cleanup: { stopped, leftRunning } };
}
