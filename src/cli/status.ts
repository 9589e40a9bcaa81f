import type { Command } from 'commander';
import { daemonStatus } from '../daemon/index.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('report whether the daemon named by a pidfile runs (LSB exit codes)')
    .requiredOption('--pidfile <file>', 'the pidfile written by `daemonspec run`')
    .option('--json', 'print {code, state, pid, locked, message} as JSON')
    .addHelpText(
      'after',
      `
Exit status (as LSB init scripts): 0 running (also: starting, or alive with nothing holding the
lock, which the message explains); 1 dead but the pidfile exists (stale, or its lock still held
by a child of the daemon); 3 not running.

Example:
  daemonspec status --pidfile /tmp/web.pid || echo "not running"`,
    )
    .action((flags: { pidfile: string; json?: boolean }) => {
      const status = daemonStatus({ pidfile: flags.pidfile });
      process.stdout.write(flags.json ? `${JSON.stringify(status)}\n` : `${status.message}\n`);
      process.exitCode = status.code;
    });
}
