import type { Command } from 'commander';
import { daemonStatus, LSB } from '../daemon/index.js';
import { isDaemonspecError } from '../errors.js';
import { addCommand } from './options/build.js';
import { convertFlags } from './options/convert.js';
import { STATUS } from './options/status.js';

export function registerStatus(program: Command, argv: readonly string[]): void {
  addCommand(program, STATUS, argv)
    .addHelpText(
      'after',
      `
Exit status (as LSB init scripts): 0 running (also: starting, or alive with nothing holding the
lock, or alive while only other processes hold it, which the message explains); 1 dead but the pidfile exists (stale, or its lock still held
by a child of the daemon); 3 not running; 4 unknown (the pidfile cannot be read: a directory,
no permission), or not trusted: a user other than you or root could have written or replaced it
(its owner, or a directory others may write without the sticky bit); --force reads it anyway.

Example:
  $ daemonspec status --pidfile /tmp/web.pid || echo "not running"`,
    )
    .action((flags: Record<string, unknown>) => {
      const { pidfile, json, force } = convertFlags(STATUS.options, flags);
      let status;
      try {
        status = daemonStatus({ pidfile, force: force === true });
      } catch (error) {
        // LSB: "program or service status is unknown" when the pidfile cannot be read.
        if (!isDaemonspecError(error) || error.code !== 'EPIDFILE') throw error;
        process.stderr.write(`daemonspec: ${error.message}\n`);
        if (json) process.stdout.write(`${JSON.stringify({ code: LSB.unknown, state: 'unknown', pid: null, locked: false, message: error.message })}\n`);
        process.exitCode = LSB.unknown;
        return;
      }
      process.stdout.write(json ? `${JSON.stringify(status)}\n` : `${status.message}\n`);
      process.exitCode = status.code;
    });
}
