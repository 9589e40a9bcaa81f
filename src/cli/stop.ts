import type { Command } from 'commander';
import { stopDaemon } from '../daemon/index.js';
import { DaemonspecError } from '../errors.js';

export function registerStop(program: Command): void {
  program
    .command('stop')
    .description('signal the daemon named by a pidfile, wait for it to exit, SIGKILL it after --timeout')
    .requiredOption('--pidfile <file>', 'the pidfile written by `daemonspec run`')
    .option('--signal <name>', 'signal to send first', 'TERM')
    .option('--timeout <seconds>', 'seconds to wait before SIGKILL', '10')
    .option('--force', 'signal the pid even when nobody holds the pidfile lock (pidfiles of tools that do not lock)')
    .addHelpText(
      'after',
      `
A pid is signalled only while its pidfile is locked (a daemonspec daemon holds the lock for its
whole life). An unlocked pidfile naming a live pid means the daemon closed its pidfile fd or the
pid was reused: use --force if it is your daemon. A locked pidfile whose pid is dead is held by
a child of the daemon that inherited the lock fd: it is left in place (find it with fuser).

Exit status: 0 stopped; 1 nothing was running (a stale pidfile is removed), the pidfile is not
locked (see --force), its lock is held by another process, or it could not be stopped; 2 usage.

Example:
  daemonspec stop --pidfile /tmp/web.pid --signal INT --timeout 5`,
    )
    .action(async (flags: { pidfile: string; signal: string; timeout: string; force?: boolean }) => {
      const seconds = Number(flags.timeout);
      if (!(seconds > 0)) throw new DaemonspecError('EUSAGE', `--timeout takes a positive number of seconds, got ${flags.timeout}`);
      const signal = /^\d+$/.test(flags.signal) ? Number(flags.signal) : flags.signal;
      const result = await stopDaemon({ pidfile: flags.pidfile, signal, timeout: seconds * 1000, force: flags.force === true });
      if (!result.stopped) {
        throw new DaemonspecError('ENOTRUNNING', `${result.message}: nothing to stop for ${flags.pidfile}`);
      }
      process.stderr.write(`daemonspec: ${result.message}\n`);
    });
}
