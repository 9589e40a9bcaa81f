import { sdNotify, spawnDaemon } from '../daemon/index.js';
import { stdout } from './output-streams.js';
import { refuseFdsNotHandedOver } from './inherited-fds.js';
import { convertFlags } from './options/convert.js';
import { RUN } from './options/run.js';

/**
 * What `daemonspec run` does with its parsed command line (commander's, or plain-run.ts's record of
 * the same shape): start the command as a daemon, and print its pid once it is ready if asked.
 */
export async function runDaemon(command: readonly string[], flags: Readonly<Record<string, unknown>>): Promise<void> {
  const { printPid, ...options } = convertFlags(RUN.options, flags);
  if (options.keepFds !== undefined && options.keepFds.length > 0) {
    const { inspect } = await import('../inspect/index.js');
    refuseFdsNotHandedOver(options.keepFds, () => inspect(process.pid).fds ?? []);
  }
  const [cmd, ...args] = command;
  const started = await spawnDaemon(cmd!, args, options);
  if (options.notify) passReadinessOn(started.pid);
  if (printPid) stdout().write(`${started.pid}\n`);
}

/**
 * `--notify` gives the daemon a socket of run's own, so a supervisor that gave run a NOTIFY_SOCKET
 * (systemd's Type=notify, `check --notify`) would never hear READY=1: run passes it on, naming the
 * daemon as the main process. Best effort, as sd_notify is: a supervisor gone is no failed start.
 */
function passReadinessOn(pid: number): void {
  try {
    sdNotify(`READY=1\nMAINPID=${pid}`);
  } catch {
    // nobody listens there any more
  }
}
