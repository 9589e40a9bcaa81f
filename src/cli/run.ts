import type { Command } from 'commander';
import { addCommand } from './options/build.js';
import { RUN } from './options/run.js';
import { runDaemon } from './run-action.js';

export function registerRun(program: Command, argv: readonly string[]): void {
  addCommand(program, RUN, argv)
    .addHelpText(
      'after',
      `
Exit status: 0 the daemon is ready; 1 it was started but failed, died or timed out before it was
ready (the message says why; nothing is left running); 2 refused before anything started (a bad
option, a missing command, a log or pidfile that cannot be used, a held pidfile).

Examples:
  $ daemonspec run --pidfile /tmp/web.pid --stdout /tmp/web.log --stderr /tmp/web.log -- python3 -m http.server 8000
  $ daemonspec run --ready-tcp 127.0.0.1:8000 --stderr /tmp/web.log -- python3 -m http.server --bind 127.0.0.1 8000
  $ daemonspec run --notify --pidfile /run/app.pid -- /usr/sbin/app --foreground
  $ sudo daemonspec run --user nobody --pidfile /tmp/s.pid -- /bin/sleep 600`,
    )
    .action((command: string[], flags: Record<string, unknown>) => runDaemon(command, flags));
}
