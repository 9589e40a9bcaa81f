import { DaemonspecError } from '../../errors.js';
import type { StartPlan } from '../start-plan.js';
import { aliveForReadiness } from './alive-for.js';
import { execReadiness } from './exec.js';
import { fileReadiness } from './file.js';
import { logReadiness } from './log.js';
import { nodeReadiness } from './node.js';
import { notifyReadiness } from './notify.js';
import type { ReadinessStrategy } from './strategy.js';
import { tcpReadiness } from './tcp.js';

export type { ReadinessContext, ReadinessStrategy } from './strategy.js';
export type { ReadyCondition, ReadyOptions } from './conditions.js';

/** How a start knows whether its target reports readiness: a Node script calling daemonize() does. */
export interface LaunchMode {
  /** The target is a Node script calling daemonize(): it reports ready/fail on the pipe itself. */
  node: boolean;
  manualReady?: boolean;
}

/**
 * The one readiness strategy of a start: sd_notify when asked, a Node daemon's own report, the
 * condition asked for (a log line, a TCP port, a file, a time alive), else the exec.
 */
export function chooseReadiness(plan: StartPlan, mode: LaunchMode): ReadinessStrategy {
  const manual = mode.node && (mode.manualReady ?? false);
  if (mode.node && plan.ready !== null) {
    throw new DaemonspecError('EUSAGE', 'readyLog, readyTcp, readyFile and aliveFor are for spawnDaemon() and `daemonspec run`: a daemonize() script reports ready itself (manualReady and handle.ready())');
  }
  if (plan.notify) return notifyReadiness(manual ? ' (call handle.ready())' : ' (send READY=1 to NOTIFY_SOCKET)');
  if (mode.node) return nodeReadiness(manual);
  switch (plan.ready?.kind) {
    case 'log':
      return logReadiness(plan, plan.ready.pattern);
    case 'tcp':
      return tcpReadiness(plan.ready.host, plan.ready.port);
    case 'file':
      return fileReadiness(plan.ready.path);
    case 'alive':
      return aliveForReadiness(plan.ready.ms);
    case undefined:
      return execReadiness;
  }
}
