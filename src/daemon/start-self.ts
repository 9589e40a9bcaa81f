import { DaemonspecError } from '../errors.js';
import { launch, type StartedDaemon } from './launch.js';
import type { DaemonizeOptions } from './options.js';
import { rawTail, type Arg } from './raw-bytes.js';
import { checkOptionKeys } from './option-keys.js';
import { beforeStart } from './refused.js';
import { planStart } from './validate.js';

/**
 * The command that starts this same script again, as the daemon: the same Node binary, the same
 * Node flags (daemon.node#32: `--expose-gc` and friends survive), the same script and arguments.
 * The arguments are the bytes the kernel holds (rawTail): one that is not UTF-8, which Node shows
 * with U+FFFD, reaches the daemon unchanged (issue 13.4).
 */
function reexecCommand(): { command: string; args: Arg[]; script: string } {
  const script = process.argv[1];
  if (!script || process.execArgv.some((arg) => arg === '-e' || arg === '--eval' || arg === '-p' || arg === '--print')) {
    throw new DaemonspecError('EUSAGE', 'daemonize() needs a script file to run again as the daemon: put the code in a file and run `node file.js`');
  }
  return { command: process.execPath, args: [...process.execArgv, script, ...rawTail(process.argv.slice(2))], script };
}

/** Starts this script again as a daemon and resolves when it is ready (the original's side). */
export async function startSelf(options: DaemonizeOptions): Promise<StartedDaemon> {
  const plan = await beforeStart(() => {
    checkOptionKeys(options, 'daemonize');
    const { command, args, script } = reexecCommand();
    return planStart(command, args, options, script);
  });
  return launch(plan, { node: true, manualReady: options.manualReady ?? false });
}
