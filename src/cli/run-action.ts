import { spawnDaemon } from '../daemon/index.js';
import { refuseFdsNotOpen } from './inherited-fds.js';
import { convertFlags } from './options/convert.js';
import { RUN } from './options/run.js';

/**
 * What `daemonspec run` does with its parsed command line (commander's, or plain-run.ts's record of
 * the same shape): start the command as a daemon, and print its pid once it is ready if asked.
 */
export async function runDaemon(command: readonly string[], flags: Readonly<Record<string, unknown>>): Promise<void> {
  const { printPid, ...options } = convertFlags(RUN.options, flags);
  refuseFdsNotOpen(options.keepFds ?? []);
  const [cmd, ...args] = command;
  const started = await spawnDaemon(cmd!, args, options);
  if (printPid) process.stdout.write(`${started.pid}\n`);
}
