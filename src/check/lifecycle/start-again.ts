import { randomBytes } from 'node:crypto';
import { signalName } from '../../ffi/constants.js';
import { type CheckScope, launchInScope } from '../adopted.js';
import { findDaemon } from '../find-daemon.js';
import { Launcher } from '../launcher.js';
import type { CleanupResult } from '../report-types.js';
import { stopEverything } from '../stop.js';
import { MARKER_NAME, type Traps } from '../traps.js';
import type { StartObservation } from './observations.js';
import type { LifecycleRequest } from './request.js';

const HANGUP_GRACE_MS = 3000;
const LAST_LINES = 5;

/** The life-cycle starts plant no traps: they judge what the command does, not what it inherits. */
const NO_TRAPS: Traps = { objects: [], handOver: [], release: () => undefined };

/** One more start of the command: its launcher, and the scope of what it started. */
export interface Start {
  launcher: Launcher;
  scope: CheckScope;
  observation: StartObservation;
}

function lastLines(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .slice(-LAST_LINES);
}

/** Waits for the original process to return; past the deadline its process group is killed. */
async function awaitReturn(launcher: Launcher, timeoutMs: number): Promise<StartObservation> {
  let exit = await launcher.waitOriginalExit(Date.now() + timeoutMs);
  const timedOut = exit === null;
  if (timedOut) {
    launcher.killForegroundCommand();
    exit = await launcher.waitOriginalExit(Date.now() + 2000);
  }
  const status = exit?.status ?? null;
  const killed = status !== null && status > 128;
  return {
    exitCode: timedOut || status === null || killed ? null : status,
    signal: killed ? signalName(status - 128) : null,
    timedOut,
    lastLines: lastLines(launcher.output()),
  };
}

/**
 * Starts the command again as the first start did (a fresh pty, the same cwd, umask and
 * environment, a marker of its own) and waits for it to return.
 */
export async function startAgain(request: LifecycleRequest): Promise<Start> {
  const markerValue = randomBytes(8).toString('hex');
  const { launcher, scope } = launchInScope(
    markerValue,
    (scopeTag) =>
      new Launcher({
        command: request.command,
        env: { ...request.env, [MARKER_NAME]: markerValue },
        cwd: request.cwd,
        traps: NO_TRAPS,
        blockedSignals: [],
        ignoredSignals: [],
        umask: request.umask,
        scopeTag,
      }),
  );
  try {
    return { launcher, scope, observation: await awaitReturn(launcher, request.timeoutMs) };
  } catch (error) {
    await launcher.dispose().catch(() => undefined);
    throw error;
  }
}

/**
 * What the start left once it settled: the processes still running (the pidfile's daemon when
 * `pidfile` is given and names one of them).
 */
export async function settle(start: Start, timeoutMs: number, pidfile?: string): Promise<{ daemon: number | null; candidates: number[] }> {
  const found = await findDaemon({ scope: start.scope, pidfile, logs: [], deadline: Date.now() + timeoutMs });
  return { daemon: found.daemon, candidates: found.candidates };
}

/** Hangs the start's terminal up and stops everything it started. */
export async function finish(start: Start, extra: readonly number[] = []): Promise<CleanupResult> {
  try {
    await start.launcher.hangup(Date.now() + HANGUP_GRACE_MS);
    return await stopEverything(start.scope, extra);
  } finally {
    await start.launcher.dispose().catch(() => undefined);
  }
}
