import type { Command } from 'commander';
import { DaemonspecError } from '../errors.js';
import { formatSnapshot, inspect } from '../inspect/index.js';
import { addCommand } from './options/build.js';
import { convertFlags } from './options/convert.js';
import { INSPECT } from './options/inspect.js';

function parsePid(text: string): number {
  if (!/^[1-9]\d*$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new DaemonspecError('EUSAGE', `not a process id: "${text}" (give a positive integer, e.g. daemonspec inspect 1234)`);
  }
  return Number(text);
}

/**
 * `daemonspec inspect PID [--json]`: prints what daemonspec sees of a process. Exit 0; 1 when the
 * process does not exist (one line on stderr); 2 for a PID that is not a positive integer.
 */
export function registerInspect(program: Command, argv: readonly string[]): void {
  addCommand(program, INSPECT, argv)
    .argument('<pid>', 'process id')
    .addHelpText(
      'after',
      `
Reads the process from outside (Linux: /proc; macOS: libproc and sysctl). What the OS cannot
show from outside (macOS: umask, blocked signals) is printed as unknown with the reason.

Exit status: 0 printed; 1 no such process; 2 usage (the PID is not a positive integer).

Examples:
  $ daemonspec inspect 1234
  $ daemonspec inspect --json "$(cat /run/mydaemon.pid)" | jq '.sid, .tty, .umask'`,
    )
    .action((pidText: string, flags: Record<string, unknown>) => {
      const { json } = convertFlags(INSPECT.options, flags);
      const snapshot = inspect(parsePid(pidText));
      process.stdout.write(json ? `${JSON.stringify(snapshot, null, 2)}\n` : `${formatSnapshot(snapshot)}\n`);
    });
}
