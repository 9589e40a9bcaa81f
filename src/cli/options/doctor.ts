import type { DoctorOptions } from '../../doctor/types.js';
import { text } from './parsers.js';
import { type CommandSpec, optionsFor } from './table.js';

export interface DoctorSettings extends DoctorOptions {
  json?: boolean;
}

const o = optionsFor<DoctorSettings>();

export const DOCTOR: CommandSpec<DoctorSettings> = {
  name: 'doctor',
  description: 'say what this machine supports and what the checker can verify here (always exits 0)',
  usage: '[--json] [--image NAME]',
  options: [
    o.switch('json', { flag: '--json', description: 'print one JSON object instead of text' }),
    o.value('image', {
      flag: '--image', value: 'NAME', parse: text, default: '$DAEMONSPEC_IMAGE or daemonspec:local',
      description: 'the Docker image to look for (the one --isolation docker uses)',
    }),
  ],
};
