import { type Command, Option } from 'commander';
import { spawnDaemon } from '../daemon/index.js';
import type { DaemonOptions } from '../daemon/options.js';
import { DaemonspecError } from '../errors.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function usage(message: string): DaemonspecError {
  return new DaemonspecError('EUSAGE', message);
}

export interface RunFlags {
  pidfile?: string;
  stdout?: string;
  stderr?: string;
  cwd?: string;
  umask?: string;
  user?: string;
  group?: string;
  keepFd?: string[];
  env?: string[];
  timeout?: string;
  notify?: boolean;
  printPid?: boolean;
}

/** CLI flags → library options (seconds → ms, octal umask, K=V pairs). */
export function runOptions(flags: RunFlags): DaemonOptions {
  const options: DaemonOptions = {};
  if (flags.pidfile !== undefined) options.pidfile = flags.pidfile;
  if (flags.stdout !== undefined) options.stdout = flags.stdout;
  if (flags.stderr !== undefined) options.stderr = flags.stderr;
  if (flags.cwd !== undefined) options.cwd = flags.cwd;
  if (flags.user !== undefined) options.user = flags.user;
  if (flags.group !== undefined) options.group = flags.group;
  if (flags.notify) options.notify = true;
  if (flags.umask !== undefined) {
    if (!/^0?[0-7]{1,3}$/.test(flags.umask)) throw usage(`--umask takes an octal mode such as 022 or 0, got ${flags.umask}`);
    options.umask = parseInt(flags.umask, 8);
  }
  if (flags.timeout !== undefined) {
    const seconds = Number(flags.timeout);
    if (!(seconds > 0)) throw usage(`--timeout takes a positive number of seconds, got ${flags.timeout}`);
    options.timeout = seconds * 1000;
  }
  if (flags.keepFd) {
    options.keepFds = flags.keepFd.map((value) => {
      if (!/^\d+$/.test(value)) throw usage(`--keep-fd takes an fd number, got ${value}`);
      return Number(value);
    });
  }
  if (flags.env) {
    const env: Record<string, string> = {};
    for (const pair of flags.env) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw usage(`--env takes KEY=VALUE, got ${pair}`);
      env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    options.env = env;
  }
  return options;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('start CMD as a daemon; exit 0 once it is running (or said READY=1 with --notify), else 1 with its error')
    .usage('[options] -- CMD [ARGS...]')
    .option('--pidfile <file>', 'write PID to FILE (O_NOFOLLOW, atomic) and hold its lock for the daemon\'s life')
    .option('--stdout <file>', 'append the daemon\'s stdout to FILE (created 0640)', undefined)
    .option('--stderr <file>', 'append the daemon\'s stderr to FILE (created 0640)', undefined)
    .option('--cwd <dir>', 'working directory (default: /)')
    .option('--umask <mode>', 'umask in octal (default: 022)')
    .option('--user <user>', 'run as USER (name or uid); root only')
    .option('--group <group>', 'primary group (name or gid); root only')
    .option('--keep-fd <n>', 'keep inherited fd N open (repeatable); every other fd >= 3 is closed', collect)
    .option('--env <key=value>', 'set a variable in the daemon\'s environment (repeatable)', collect)
    .option('--timeout <seconds>', 'seconds to wait for readiness; the daemon is killed after (default: 30)')
    .option('--notify', 'set NOTIFY_SOCKET and wait for sd_notify READY=1 (or ERRNO=, or the exit)')
    .addOption(new Option('--print-pid', 'print the daemon\'s pid on stdout once it is ready'))
    .argument('<command...>', 'the program and its arguments, after --')
    .addHelpText(
      'after',
      `
Exit status: 0 the daemon is running; 1 it could not be started (the message says why); 2 usage.

Examples:
  daemonspec run --pidfile /tmp/web.pid --stdout /tmp/web.log --stderr /tmp/web.log -- python3 -m http.server 8000
  daemonspec run --notify --pidfile /run/app.pid -- /usr/sbin/app --foreground
  sudo daemonspec run --user nobody --pidfile /tmp/s.pid -- /bin/sleep 600`,
    )
    .action(async (command: string[], flags: RunFlags) => {
      const [cmd, ...args] = command;
      const started = await spawnDaemon(cmd!, args, runOptions(flags));
      if (flags.printPid) process.stdout.write(`${started.pid}\n`);
    });
}
