import type { Command } from 'commander';
import { stopDaemon } from '../daemon/index.js';
import { DaemonspecError } from '../errors.js';
import { addCommand } from './options/build.js';
import { convertFlags } from './options/convert.js';
import { STOP } from './options/stop.js';

export function registerStop(program: Command, argv: readonly string[]): void {
  addCommand(program, STOP, argv)
    .addHelpText(
      'after',
      `
A pid is signalled only while its pidfile is locked (a daemonspec daemon holds the lock for its
whole life). An unlocked pidfile naming a live pid means the daemon closed its pidfile fd or the
pid was reused: use --force if it is your daemon; so does a live pid that does not hold the lock
others hold (Linux). A locked pidfile whose pid is dead is held by a child of the daemon that
inherited the lock fd: it is left in place (find it with fuser). Once a daemon it signalled is
gone, what still holds the lock (its children that inherited the fd) is stopped the same way.
A pidfile that a user other than you or root could have written or replaced (its owner, a
directory others may write without the sticky bit) is refused, saying why: it may name any
process. --force is the way out when the file is yours.

Exit status: 0 stopped; 1 nothing was running (a stale pidfile is removed), the pidfile is not
locked (see --force), it is not trusted (see --force), its lock is held by another process (the
pidfile is left), or it could not be stopped; 2 usage. With --ok-if-stopped, nothing running exits 0.

Example:
  $ daemonspec stop --pidfile /tmp/web.pid --signal INT --timeout 5`,
    )
    .action(async (flags: Record<string, unknown>) => {
      const { okIfStopped, ...options } = convertFlags(STOP.options, flags);
      const result = await stopDaemon(options);
      if (!result.stopped && okIfStopped) {
        process.stderr.write(`daemonspec: ${result.message}: nothing to stop for ${options.pidfile}\n`);
        return;
      }
      if (!result.stopped) {
        throw new DaemonspecError('ENOTRUNNING', `${result.message}: nothing to stop for ${options.pidfile}`);
      }
      process.stderr.write(`daemonspec: ${result.message}\n`);
      // Stopped, but something the stop could not stop holds the lock: the next start is refused.
      if (result.pidfileLeft) process.exitCode = 1;
    });
}
