import type { CheckOptions } from '../check/report-types.js';
import { DaemonspecError } from '../errors.js';
import type { OptionFiles } from './option-files.js';

/**
 * The `daemonspec check` arguments equivalent to `options`, ending with `-- CMD...`: how the
 * namespace and docker backends hand a check to a checker running inside the isolation.
 * `--isolation host` is always given: inside, the checker is on its own host.
 */
export function checkArgv(command: readonly string[], options: CheckOptions = {}, files: Pick<OptionFiles, 'profile' | 'caller'> = {}): string[] {
  const argv = ['check', '--json', '--isolation', 'host'];
  const flag = (name: string, value: string | number | undefined): void => {
    if (value !== undefined) argv.push(name, String(value));
  };
  if (typeof options.profile === 'object') {
    if (files.profile === undefined) {
      throw new DaemonspecError('EUSAGE', 'an inline profile object needs a profile file to pass to an isolated checker');
    }
    flag('--profile', files.profile);
  } else {
    flag('--profile', options.profile);
  }
  flag('--pidfile', options.pidfile);
  flag('--stdout', options.stdout);
  flag('--stderr', options.stderr);
  flag('--umask', options.umask === undefined ? undefined : options.umask.toString(8).padStart(3, '0'));
  flag('--cwd', options.cwd);
  flag('--ready-log', options.readyLog);
  flag('--expect-log', options.expectLog);
  if (options.allowIgnored !== undefined) flag('--allow-ignored', options.allowIgnored.join(','));
  if (options.timeoutMs !== undefined) flag('--timeout', options.timeoutMs / 1000);
  flag('--repeat', options.repeat);
  flag('--seed', options.seed);
  if (options.strict === true) argv.push('--strict');
  if (options.lifecycle === true) argv.push('--lifecycle');
  if (options.notify === true) argv.push('--notify');
  flag('--stop-command', options.stopCommand);
  if (options.stopTimeoutMs !== undefined) flag('--stop-timeout', `${options.stopTimeoutMs}ms`);
  flag('--user', options.user);
  if (options.trace === true) argv.push('--trace');
  flag('--notify-fd', options.notifyFd);
  if (options.caller !== undefined) {
    if (files.caller === undefined) throw new DaemonspecError('EUSAGE', 'a planted caller needs a caller file to pass to an isolated checker');
    flag('--caller-json', files.caller);
  }
  if (options.stdinDevnull === false) {
    throw new DaemonspecError('EUSAGE', 'stdinDevnull: false has no CLI flag; put it in a profile file instead');
  }
  if (command.length === 0) throw new DaemonspecError('EUSAGE', 'no command to check: give it after --');
  argv.push('--', ...command);
  return argv;
}

/** The outer deadline of an isolated run: the checker's own deadline(s) plus room to start and stop. */
export function deadlineFor(options: CheckOptions = {}, explicit?: number): number {
  return explicit ?? (options.timeoutMs ?? 10_000) * (options.repeat ?? 1) + 30_000;
}
