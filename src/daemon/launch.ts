import { setTimeout as delay } from 'node:timers/promises';
import { DaemonspecError } from '../errors.js';
import { closeQuietly, kill, pipe, processExists, reap, setCloexec } from '../ffi/libc.js';
import { spawn } from '../ffi/spawn.js';
import { chainRequest, chooseFds, execState, innerScript } from './chain.js';
import { MARKER, type DaemonMarker } from './marker.js';
import { openNotifySocket, type NotifySocket } from './notify.js';
import { claimPidfile, isAlive, type PidfileClaim } from './pidfile.js';
import { StatusChannel, type StatusMessage } from './status-channel.js';
import { closeLog, logTail, openLog, type LogFile } from './stdio.js';
import type { StartPlan } from './validate.js';

/** A daemon that is running and ready. */
export interface StartedDaemon {
  pid: number;
  /** Absolute path of the pidfile, or null. */
  pidfile: string | null;
}

export interface LaunchMode {
  /** The target is a Node script calling daemonize(): it reports ready/fail on the pipe itself. */
  node: boolean;
  manualReady?: boolean;
}

const SIGKILL = 9;

/**
 * Starts the chain and resolves once the daemon is ready; rejects with a DaemonspecError
 * after undoing everything (processes killed, pidfile and temporary file removed).
 */
export async function launch(plan: StartPlan, mode: LaunchMode): Promise<StartedDaemon> {
  const guard = interruptGuard();
  try {
    return await launchChain(plan, mode, guard);
  } finally {
    guard.dispose();
  }
}

const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

interface InterruptGuard {
  /** Rejects (with the start's undo still to do) when one of INTERRUPTS arrives. */
  interrupted: Promise<never>;
  /** Races a wait with the interrupt. */
  wait<T>(promise: Promise<T>): Promise<T>;
  /** Whether `error` is the interrupt's rejection. */
  isInterrupt(error: unknown): boolean;
  /** Removes the handlers; if a signal was caught, raises it again now that the start is undone. */
  dispose(): void;
}

/**
 * While the start waits, SIGINT/SIGTERM/SIGHUP to this process must not leave the outer sh, an
 * unready daemon or the pidfile behind: the handlers turn the signal into a failed start (the
 * usual undo path), and once that is done the signal is raised again with the handlers removed,
 * so the caller still dies of it (unless it installed handlers of its own).
 */
function interruptGuard(): InterruptGuard {
  let caught: NodeJS.Signals | null = null;
  let reject!: (error: DaemonspecError) => void;
  let interruptError: DaemonspecError | null = null;
  const interrupted = new Promise<never>((_, r) => {
    reject = r;
  });
  interrupted.catch(() => undefined);
  const handler = (signal: NodeJS.Signals): void => {
    if (caught !== null) return;
    caught = signal;
    interruptError = new DaemonspecError('EDIED', `the start was interrupted by ${signal}: the daemon was killed and its pidfile removed`);
    reject(interruptError);
  };
  for (const signal of INTERRUPTS) process.once(signal, handler);
  return {
    interrupted,
    wait: <T>(promise: Promise<T>) => Promise.race([promise, interrupted]),
    isInterrupt: (error) => error !== null && error === interruptError,
    dispose() {
      for (const signal of INTERRUPTS) process.removeListener(signal, handler);
      if (caught !== null) process.kill(process.pid, caught);
    },
  };
}

async function launchChain(plan: StartPlan, mode: LaunchMode, guard: InterruptGuard): Promise<StartedDaemon> {
  const opened: { out: LogFile | null; err: LogFile | null; claim: PidfileClaim | null; notify: NotifySocket | null } = {
    out: null,
    err: null,
    claim: null,
    notify: null,
  };
  let channel: StatusChannel | null = null;
  let readFd = -1;
  let writeFd = -1;
  let outer = -1;
  let daemonPid: number | null = null;
  const deadline = Date.now() + plan.timeoutMs;

  const fail = async (error: DaemonspecError, killDaemon: boolean): Promise<never> => {
    if (outer > 0) {
      if (killDaemon) kill(-outer, SIGKILL);
      kill(outer, SIGKILL);
      await reap(outer).catch(() => undefined);
    }
    if (killDaemon && daemonPid !== null && isAlive(daemonPid)) kill(daemonPid, SIGKILL);
    if (killDaemon) await waitGroupGone(outer, daemonPid);
    opened.claim?.abort();
    const tail = logTail(opened.err) || (opened.out && opened.out.path !== opened.err?.path ? logTail(opened.out) : '');
    closeLog(opened.out);
    closeLog(opened.err);
    closeQuietly(writeFd);
    // Until the channel owns it, the read end is ours to close (a failed spawn must not leak it).
    if (channel) channel.close();
    else closeQuietly(readFd);
    opened.notify?.close();
    if (tail && !error.detail) {
      throw new DaemonspecError(error.code, error.message, {
        detail: `the daemon's output:\n${tail}`,
        ...(error.pid !== undefined ? { pid: error.pid } : {}),
        ...(error.path !== undefined ? { path: error.path } : {}),
      });
    }
    throw error;
  };

  try {
    opened.out = openLog(plan.stdout, 'stdout');
    opened.err = openLog(plan.stderr, 'stderr');
    if (plan.pidfile !== null) opened.claim = claimPidfile(plan.pidfile);
  } catch (error) {
    closeLog(opened.out);
    closeLog(opened.err);
    throw error;
  }

  const env = { ...plan.env };
  let fds: ReturnType<typeof chooseFds>;
  try {
    [readFd, writeFd] = pipe();
    setCloexec(readFd, true);
    setCloexec(writeFd, true);
    const sources = [opened.out.fd, opened.err.fd, readFd, writeFd, ...(opened.claim ? [opened.claim.lockFd] : [])];
    fds = chooseFds(plan.keepFds, sources, opened.claim !== null);
    if (plan.notify) {
      opened.notify = openNotifySocket();
      env.NOTIFY_SOCKET = opened.notify.address;
    }
    if (mode.node) {
      const marker: DaemonMarker = { v: 1, statusFd: fds.status, lockFd: fds.lock, pidfile: plan.pidfile, manualReady: mode.manualReady ?? false };
      env[MARKER] = JSON.stringify(marker);
    }
  } catch (error) {
    return await fail(error as DaemonspecError, true);
  }

  const target = plan.privilegeDrop ? ['/usr/bin/setpriv', ...plan.privilegeDrop, '--', plan.path, ...plan.argv.slice(1)] : [plan.path, ...plan.argv.slice(1)];
  const inner = innerScript(fds.status, mode.node, 'PWD' in env);
  try {
    outer = spawn(
      chainRequest(plan, target, fds, { stdoutFd: opened.out.fd, stderrFd: opened.err.fd, statusWriteFd: writeFd, lockFd: opened.claim?.lockFd ?? null }, inner, env),
    );
  } catch (error) {
    return await fail(error instanceof DaemonspecError ? error : new DaemonspecError('EEXEC', String(error)), true);
  }
  closeQuietly(writeFd);
  writeFd = -1;
  channel = new StatusChannel(readFd);

  // With stderr on /dev/null (the default) or another non-file, nothing of the daemon's error is kept.
  const seeError = (): string =>
    opened.err?.regular ? `see its error below or in ${plan.stderr}` : `pass --stderr FILE (or the stderr option) to see its error`;
  const diedError = (message: StatusMessage | null): DaemonspecError => {
    const who = daemonPid === null ? 'the daemon' : `the daemon (PID ${daemonPid})`;
    if (message?.kind === 'exit') {
      const status = message.status;
      if (status === 126 || status === 127) {
        return new DaemonspecError('EEXEC', `${plan.path} could not be executed (status ${status}): check it exists, is executable and its interpreter (#!) exists`, {
          path: plan.path,
        });
      }
      const how = status > 128 ? `was killed by signal ${status - 128}` : `exited with status ${status}`;
      return new DaemonspecError('EDIED', `${who} ${how} before it reported ready: ${seeError()}`, daemonPid === null ? {} : { pid: daemonPid });
    }
    if (daemonPid !== null && isAlive(daemonPid)) {
      // The pipe closed while the daemon still runs: the intermediate sh was killed from outside.
      return new DaemonspecError(
        'EDIED',
        `the intermediate process (PID ${outer}) died before ${who} reported ready, so the start was abandoned and the daemon killed: was it killed by another program? start again`,
        { pid: daemonPid },
      );
    }
    return new DaemonspecError('EDIED', `${who} exited before it reported ready: ${seeError()}`, daemonPid === null ? {} : { pid: daemonPid });
  };
  const timeoutError = (): DaemonspecError =>
    new DaemonspecError(
      'ETIMEOUT',
      `${daemonPid === null ? 'the daemon' : `the daemon (PID ${daemonPid})`} did not report ready within ${plan.timeoutMs} ms and was killed: raise the timeout, or make it report ready${mode.node && mode.manualReady ? ' (call handle.ready())' : plan.notify ? ' (send READY=1 to NOTIFY_SOCKET)' : ''}`,
      daemonPid === null ? {} : { pid: daemonPid },
    );

  try {
    // 1. The inner sh reports its pid (the daemon's pid: it execs in place).
    const first = await guard.wait(channel.next(deadline));
    if (first === null) return await fail(timeoutError(), true);
    if (first.kind !== 'pid') return await fail(diedError(first), true);
    daemonPid = first.pid;
    try {
      opened.claim?.commit(daemonPid);
    } catch (error) {
      return await fail(new DaemonspecError('EPIDFILE', `cannot write pidfile ${plan.pidfile}: ${(error as Error).message}`, { cause: error }), true);
    }

    // 2. Ready: a Node daemon says so; sd_notify READY=1 with --notify; otherwise the exec happened.
    if (plan.notify && opened.notify) {
      const notify = opened.notify;
      const outcome = await guard.wait(Promise.race([notify.waitReady(deadline), channel.next(deadline).then((m) => ({ channel: m }))]));
      if ('channel' in outcome) {
        if (outcome.channel === null) return await fail(timeoutError(), true);
        if (outcome.channel.kind === 'fail') return await fail(failedError(outcome.channel.error, daemonPid), true);
        if (outcome.channel.kind !== 'ready') return await fail(diedError(outcome.channel), true);
      } else if (outcome.result === 'timeout') {
        return await fail(timeoutError(), true);
      } else if (outcome.result === 'errno') {
        return await fail(new DaemonspecError('EFAILED', `the daemon (PID ${daemonPid}) reported failure by sd_notify: ERRNO=${outcome.errno}${outcome.status ? ` (${outcome.status})` : ''}`, { pid: daemonPid }), true);
      }
    } else if (mode.node) {
      const message = await guard.wait(channel.next(deadline));
      if (message === null) return await fail(timeoutError(), true);
      if (message.kind === 'fail') return await fail(failedError(message.error, daemonPid), true);
      if (message.kind !== 'ready') return await fail(diedError(message), true);
    } else {
      for (;;) {
        const exited = channel.pending('exit');
        if (exited) return await fail(diedError(exited), true);
        const state = execState(daemonPid, inner);
        if (state === 'execed') break;
        if (state === 'gone') return await fail(diedError((await guard.wait(channel.next(Math.min(deadline, Date.now() + 1000)))) ?? null), true);
        if (Date.now() > deadline) return await fail(timeoutError(), true);
        await guard.wait(delay(1));
      }
    }
  } catch (error) {
    // Only the interrupt arrives here undone: every other failure went through fail() already.
    if (guard.isInterrupt(error)) return await fail(error as DaemonspecError, true);
    throw error;
  }

  // 3. Let go of the daemon: the outer sh dies, the daemon is reparented.
  kill(outer, SIGKILL);
  await reap(outer);
  outer = -1;
  const lateExit = channel.pending('exit');
  if (lateExit || !isAlive(daemonPid)) return await fail(diedError(lateExit ?? null), false);

  channel.close();
  opened.notify?.close();
  closeLog(opened.out);
  closeLog(opened.err);
  opened.claim?.release();
  return { pid: daemonPid, pidfile: plan.pidfile };
}

function failedError(error: Record<string, unknown>, pid: number): DaemonspecError {
  const message = typeof error.message === 'string' ? error.message : 'no message';
  const detail = typeof error.stack === 'string' ? error.stack : typeof error.detail === 'string' ? error.detail : undefined;
  return new DaemonspecError('EFAILED', `the daemon (PID ${pid}) failed before it was ready: ${message}`, detail === undefined ? { pid } : { pid, detail });
}

/** After SIGKILL: wait (bounded) until the chain's processes are really gone, so a failed start leaves nothing running. */
async function waitGroupGone(group: number, pid: number | null): Promise<void> {
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline) {
    const groupLeft = group > 0 && processExists(-group);
    if (!groupLeft && (pid === null || !isAlive(pid))) return;
    await delay(2);
  }
}
