import type { Command } from 'commander';
import { daemonStatus, LSB } from '../daemon/index.js';
import { isDaemonspecError } from '../errors.js';

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
by a child of the daemon); 3 not running; 4 unknown (the pidfile cannot be read: a directory,
no permission).

Example:
  daemonspec status --pidfile /tmp/web.pid || echo "not running"`,
    )
    .action((flags: { pidfile: string; json?: boolean }) => {
      let status;
      try {
        status = daemonStatus({ pidfile: flags.pidfile });
      } catch (error) {
        // LSB: "program or service status is unknown" when the pidfile cannot be read.
        if (!isDaemonspecError(error) || error.code !== 'EPIDFILE') throw error;
        process.stderr.write(`daemonspec: ${error.message}\n`);
        if (flags.json) process.stdout.write(`${JSON.stringify({ code: LSB.unknown, state: 'unknown', pid: null, locked: false, message: error.message })}\n`);
        process.exitCode = LSB.unknown;
        return;
      }
      process.stdout.write(flags.json ? `${JSON.stringify(status)}\n` : `${status.message}\n`);
      process.exitCode = status.code;
    });
}
