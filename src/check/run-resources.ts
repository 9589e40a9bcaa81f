import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type CheckScope, launchInScope } from './adopted.js';
import type { Launcher } from './launcher.js';
import { logWindow, type LogWindow } from './log-window.js';
import { prepareCaller, type PreparedCaller } from './prepare-caller.js';
import { NotifyFd } from './readiness/notify-fd.js';
import { NotifyListener } from './readiness/notify-socket.js';
import { refuseStalePidfile } from './run-pidfile.js';
import type { RunOnceRequest } from './run-request.js';
import { startLauncher } from './start-launcher.js';
import { becomeSubreaper } from './subreaper.js';
import { makeTempDir, type TempDir } from './temp-dir.js';

/** What one check opens before the launch (the launcher last), closed by `dispose()` whatever happened. */
export interface RunResources {
  /** The run's private work directory. */
  work: string;
  /** Where the launcher copies the pidfile the instant the command returns (read with `--lifecycle`). */
  snapshot: string;
  /** The marker in the environment that tells this run's processes from any other. */
  markerValue: string;
  logs: { stdout: LogWindow; stderr: LogWindow };
  notify: NotifyFd | null;
  listener: NotifyListener | null;
  prepared: PreparedCaller;
  launcher: Launcher;
  /** Which processes are the check's (launchInScope). */
  scope: CheckScope;
  /** Never throws: ends the launcher and closes the rest, the work directory last. */
  dispose(): Promise<void>;
}

interface Opened {
  notify: NotifyFd | null;
  listener: NotifyListener | null;
  prepared: PreparedCaller | undefined;
}

/** Closes what was opened before the launcher, in the order of `RunResources.dispose`. */
function closeOpened(opened: Opened, workDir: TempDir): void {
  opened.notify?.close();
  opened.listener?.close();
  opened.prepared?.dispose();
  workDir.remove();
}

/**
 * Refuses a stale pidfile, becomes the subreaper, then opens the run's work directory, caller,
 * readiness channels and launcher; what was opened is closed again if any of it throws.
 */
export function openRun(request: RunOnceRequest): RunResources {
  const { expect } = request.profile;
  refuseStalePidfile(expect.pidfile);
  becomeSubreaper();
  const logs = { stdout: logWindow(expect.stdout), stderr: logWindow(expect.stderr) };
  const workDir = makeTempDir('daemonspec-check-');
  const work = workDir.path;
  const markerValue = randomBytes(8).toString('hex');
  const snapshot = join(work, 'pidfile-at-exit');
  const opened: Opened = { notify: null, listener: null, prepared: undefined };
  try {
    const prepared = prepareCaller(request, work);
    opened.prepared = prepared;
    if (request.user?.plantedGroups) prepared.caller.groups = request.user.plantedGroups;
    const notify = (opened.notify = request.notifyFd === null ? null : new NotifyFd(prepared.checkerFrom));
    const listener = (opened.listener = request.notify ? new NotifyListener(work, prepared.checkerFrom) : null);
    const { launcher, scope } = launchInScope(markerValue, (scopeTag) =>
      startLauncher(request, prepared, markerValue, { pidfileSnapshot: request.lifecycle === null ? undefined : snapshot, notify, listener, work, scopeTag }),
    );
    const dispose = async (): Promise<void> => {
      await launcher.dispose().catch(() => undefined);
      closeOpened(opened, workDir);
    };
    return { work, snapshot, markerValue, logs, notify, listener, prepared, launcher, scope, dispose };
  } catch (error) {
    closeOpened(opened, workDir);
    throw error;
  }
}
