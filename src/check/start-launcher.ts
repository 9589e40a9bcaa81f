import { join } from 'node:path';
import { Launcher } from './launcher.js';
import type { PreparedCaller } from './prepare-caller.js';
import type { NotifyFd } from './readiness/notify-fd.js';
import type { NotifyListener } from './readiness/notify-socket.js';
import type { RunOnceRequest } from './run-request.js';
import { MARKER_NAME } from './traps.js';

/** Starts the command on a fresh terminal with the caller planted; the traps' launcher-side copies are released either way. */
export function startLauncher(
  request: RunOnceRequest,
  prepared: PreparedCaller,
  markerValue: string,
  extra: { pidfileSnapshot: string | undefined; notify: NotifyFd | null; listener: NotifyListener | null; work: string; scopeTag: number | null },
): Launcher {
  const { expect } = request.profile;
  try {
    const launcher = new Launcher({
      command: [...prepared.prefix, ...request.command],
      env: { ...request.env, ...prepared.env, [MARKER_NAME]: markerValue, ...(extra.listener ? { NOTIFY_SOCKET: extra.listener.address } : {}) },
      cwd: prepared.spawnCwd,
      traps: prepared.traps,
      blockedSignals: prepared.launcherBlocked,
      ignoredSignals: prepared.launcherIgnored,
      umask: prepared.caller.umask,
      pidfile: expect.pidfile,
      stdout: expect.stdout,
      stderr: expect.stderr,
      pidfileSnapshot: extra.pidfileSnapshot,
      groups: prepared.caller.groups,
      shape: prepared.shape,
      trace: request.strace === undefined ? undefined : { strace: request.strace, output: traceFile(extra.work) },
      extraFds: extra.notify && request.notifyFd !== null ? [{ from: extra.notify.writeFd, to: request.notifyFd }] : [],
      scopeTag: extra.scopeTag,
    });
    prepared.afterSpawn(launcher);
    return launcher;
  } finally {
    prepared.traps.release();
    extra.notify?.releaseWriteEnd();
  }
}

export function traceFile(work: string): string {
  return join(work, 'strace.out');
}

