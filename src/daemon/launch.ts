import { DaemonspecError } from '../errors.js';
import { spawn } from '../ffi/spawn.js';
import { chainRequest, innerScript, SETPRIV_PATH, type ChainFds } from './chain.js';
import { interruptGuard, type InterruptGuard } from './interrupt-guard.js';
import { letGo } from './let-go.js';
import { beforeStart } from './refused.js';
import { MARKER, type DaemonMarker } from './marker.js';
import { chooseReadiness, type LaunchMode, type ReadinessStrategy } from './readiness/index.js';
import { spawnError, StartErrors, withDaemonOutput, withLeftRunning } from './start-errors.js';
import { StartResources } from './start-resources.js';
import type { StartPlan } from './start-plan.js';

export type { LaunchMode } from './readiness/index.js';

/** A daemon that is running and ready. */
export interface StartedDaemon {
  pid: number;
  /** Absolute path of the pidfile, or null. */
  pidfile: string | null;
}

/**
 * Starts the chain (chain.ts) and resolves once the daemon is ready; rejects with a
 * DaemonspecError after undoing everything (processes killed, pidfile and temporary file removed).
 */
export async function launch(plan: StartPlan, mode: LaunchMode): Promise<StartedDaemon> {
  const readiness = await beforeStart(async () => {
    const strategy = chooseReadiness(plan, mode);
    await strategy.before?.();
    return strategy;
  });
  const deadline = Date.now() + plan.timeoutMs;
  const guard = interruptGuard();
  try {
    const resources = await beforeStart(() => StartResources.open(plan));
    try {
      const started = await runChain({ plan, mode, readiness, resources, guard, deadline });
      resources.dispose();
      return started;
    } catch (error) {
      throw await undo(resources, error);
    }
  } finally {
    await guard.dispose();
  }
}

interface Start {
  plan: StartPlan;
  mode: LaunchMode;
  readiness: ReadinessStrategy;
  resources: StartResources;
  guard: InterruptGuard;
  deadline: number;
}

/** A failed start: nothing of it left running or on disk; the error gets the daemon's output. */
async function undo(resources: StartResources, error: unknown): Promise<unknown> {
  const left = await resources.undo();
  const tail = resources.daemonOutput();
  resources.dispose();
  return error instanceof DaemonspecError ? withLeftRunning(withDaemonOutput(error, tail), left) : error;
}

/** The steps of a start; every failure throws, and launch() undoes what was done. */
async function runChain({ plan, mode, readiness, resources, guard, deadline }: Start): Promise<StartedDaemon> {
  const errors = new StartErrors(plan, resources, readiness.hint);
  const fds = resources.openChannels(plan);
  const env = chainEnv(plan, mode, fds, resources.notify?.address ?? null);
  const target = plan.privilegeDrop ? [SETPRIV_PATH, ...plan.privilegeDrop, '--', plan.path, ...plan.argv.slice(1)] : [plan.path, ...plan.argv.slice(1)];
  const inner = innerScript(fds, mode.node, 'PWD' in env);
  let outer: number;
  try {
    outer = spawn(chainRequest(plan, target, fds, resources.chainSources(), inner, env));
  } catch (error) {
    throw spawnError(error).markRefused(); // no process was created
  }
  const channel = resources.spawned(outer);

  // 1. The inner sh reports its pid (the daemon's pid: it execs in place).
  const first = await guard.wait(channel.next(deadline));
  if (first === null) throw errors.timeout();
  if (first.kind !== 'pid') throw errors.died(first);
  const pid = first.pid;
  try {
    resources.commitPid(pid);
  } catch (error) {
    throw errors.pidfileWrite(error);
  }
  // The pidfile names the inner sh now: let it exec. A chain already gone is seen by the readiness wait.
  resources.sayGo();

  // 2. Ready, as the strategy of this start decides.
  await readiness.waitReady({ plan, pid, inner, channel, notify: resources.notify, logs: resources.logs(), deadline, errors, wait: guard.wait });
  // A Node daemon's `ready` and sd_notify READY=1 are the daemon's own word: a death from here on came after it.
  if (mode.node || plan.notify) errors.markReported();

  // 3. Let go of the daemon at one instant: running then means ready, dead means reported with its status.
  // Raced with an interrupt: a tracer holding the outer must not keep a Ctrl-C from undoing the start.
  const lettingGo = letGo(outer, pid, channel);
  lettingGo.catch(() => undefined); // once interrupted, the undo decides; the let-go's end is not awaited
  const death = await guard.wait(lettingGo);
  if (death) {
    const error = errors.died(death);
    resources.chainEnded(); // the outer is reaped and the daemon dead; the undo kills what it forked
    throw error;
  }
  return { pid, pidfile: plan.pidfile };
}

/** The chain's environment: the plan's, plus NOTIFY_SOCKET with notify and the marker for a Node daemon. */
function chainEnv(plan: StartPlan, mode: LaunchMode, fds: ChainFds, notifyAddress: string | null): Record<string, string> {
  const env = { ...plan.env };
  if (notifyAddress !== null) env.NOTIFY_SOCKET = notifyAddress;
  if (mode.node) {
    const marker: DaemonMarker = { v: 1, statusFd: fds.status, lockFd: fds.lock, pidfile: plan.pidfile, manualReady: mode.manualReady ?? false };
    env[MARKER] = JSON.stringify(marker);
  }
  return env;
}
