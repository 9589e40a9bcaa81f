import { type CommandSpec, optionsFor } from './table.js';

export interface InspectSettings {
  json?: boolean;
}

const o = optionsFor<InspectSettings>();

export const INSPECT: CommandSpec<InspectSettings> = {
  name: 'inspect',
  description: 'show a process as the checker sees it: session, tty, umask, cwd, fds, signals',
  usage: '[--json] PID',
  options: [o.switch('json', { flag: '--json', description: 'print the snapshot as one JSON object' })],
};
