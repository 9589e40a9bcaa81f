import type { StopOptions } from '../../daemon/control.js';
import { duration, signal, text } from './parsers.js';
import { type CommandSpec, optionsFor } from './table.js';

/** What `stop`'s flags set: the library's StopOptions and the command's own. */
export interface StopSettings extends StopOptions {
  okIfStopped?: boolean;
}

const o = optionsFor<StopSettings>();

export const STOP: CommandSpec<StopSettings> = {
  name: 'stop',
  description: 'signal the daemon named by a pidfile, wait for it to exit, and SIGKILL it after --timeout',
  usage: '--pidfile FILE [options]',
  options: [
    o.value('pidfile', { flag: '--pidfile', value: 'FILE', parse: text, required: true, description: 'the pidfile written by `daemonspec run` (or any daemon)' }),
    o.value('signal', {
      flag: '--signal', value: 'SIGNAL', parse: signal, default: 'TERM',
      description: 'signal to send first: a name (INT, HUP) or a number',
      more: 'a number from 1 to NSIG-1 (64 on Linux); anything else is a usage error, exit 2',
    }),
    o.value('timeout', {
      flag: '--timeout', value: 'DURATION', parse: duration, default: '10s',
      description: 'how long to wait for the exit before SIGKILL',
      more: 'seconds (`10`) or a number with a unit (`500ms`, `1.5s`, `2m`, `1h`)',
    }),
    o.switch('force', { flag: '--force', description: 'signal the pid even when nobody holds the pidfile lock (pidfiles of tools that do not lock), or one another user could have written' }),
    o.switch('okIfStopped', {
      flag: '--ok-if-stopped',
      description: 'exit 0, not 1, when nothing was running (no pidfile, or a stale one, which is removed)',
      more: 'for scripts that want the daemon stopped whatever its state, as `start-stop-daemon --stop --oknodo`',
    }),
  ],
};
