import { text } from './parsers.js';
import { type CommandSpec, optionsFor } from './table.js';

export interface StatusSettings {
  pidfile: string;
  json?: boolean;
  force?: boolean;
}

const o = optionsFor<StatusSettings>();

export const STATUS: CommandSpec<StatusSettings> = {
  name: 'status',
  description: 'say whether the daemon named by a pidfile runs (LSB exit codes)',
  usage: '--pidfile FILE [--json] [--force]',
  options: [
    o.value('pidfile', { flag: '--pidfile', value: 'FILE', parse: text, required: true, description: 'the pidfile written by `daemonspec run` (or any daemon)' }),
    o.switch('json', { flag: '--json', description: 'print {code, state, pid, locked, message} as one JSON object' }),
    o.switch('force', { flag: '--force', description: 'read a pidfile that another user could have written or replaced (refused otherwise)' }),
  ],
};
