import { text } from './parsers.js';
import { type CommandSpec, optionsFor } from './table.js';

export interface MergeSettings {
  markdown?: string;
  junit?: string;
  html?: string;
}

const o = optionsFor<MergeSettings>();

export const MERGE: CommandSpec<MergeSettings> = {
  name: 'merge',
  description: 'join the reports of matrix shards (matrix --shard I/N --json) into one markdown, JUnit and HTML report',
  usage: '[options] REPORT.json...',
  options: [
    o.value('markdown', {
      flag: '--markdown', value: 'FILE', parse: text,
      description: 'write the conformance document of the joined matrix',
      more: 'one section per OS when the reports come from more than one',
    }),
    o.value('junit', { flag: '--junit', value: 'FILE', parse: text, description: 'write JUnit XML, a suite per OS and isolation (classnames daemonspec.matrix.OS.ISOLATION)' }),
    o.value('html', { flag: '--html', value: 'FILE', parse: text, description: 'write one self-contained HTML page of every check (as matrix --html)' }),
  ],
};
