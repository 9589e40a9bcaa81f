import { ISOLATION_NAMES, type IsolationName } from '../../isolation/types.js';
import type { MatrixOptions } from '../../matrix/run.js';
import { commaList, positiveInteger, text } from './parsers.js';
import { type CommandSpec, optionsFor } from './table.js';
import { DEFAULT_JOBS_TEXT } from '../../check/default-jobs.js';
import { DaemonspecError } from '../../errors.js';
import { parseShard } from '../../matrix/shard.js';

export interface MatrixSettings extends Pick<MatrixOptions, 'isolations' | 'fixtures' | 'image' | 'jobs' | 'trace' | 'shard'> {
  json?: boolean;
  markdown?: string;
  traceMarkdown?: string;
  fuzz?: number;
  fuzzSeed?: number;
  fuzzMarkdown?: string;
  junit?: string;
  html?: string;
}

function isolations(value: string, flag: string): IsolationName[] {
  const names = commaList(value);
  if (names.includes('all')) return [...ISOLATION_NAMES];
  for (const name of names) {
    if (!(ISOLATION_NAMES as readonly string[]).includes(name)) {
      throw new DaemonspecError('EUSAGE', `${flag}: unknown isolation "${name}"; use ${ISOLATION_NAMES.join(', ')} or all`);
    }
  }
  return names as IsolationName[];
}

const o = optionsFor<MatrixSettings>();

export const MATRIX: CommandSpec<MatrixSettings> = {
  name: 'matrix',
  description: 'run every fixture (fixtures/*/manifest.json) under each isolation and print the conformance table',
  usage: '[options]',
  options: [
    o.value('isolations', {
      flag: '--isolation', value: 'LIST', parse: isolations, default: 'host',
      description: `comma-separated isolations: ${ISOLATION_NAMES.join(', ')}, or all`,
      more: '`docker-init` is docker with `--init`',
    }),
    o.value('fixtures', { flag: '--fixtures', value: 'LIST', parse: commaList, default: 'all', description: 'comma-separated fixture names (`ls fixtures/`)' }),
    o.value('shard', {
      flag: '--shard', value: 'I/N', parse: parseShard,
      description: 'run only shard I of N: the fixture × isolation pairs, sorted, dealt round-robin (each pair in exactly one shard)',
      more: 'for a CI job matrix; join the shards\' `--json` reports with `daemonspec merge`',
    }),
    o.switch('json', { flag: '--json', description: 'print the run as one JSON object instead of the table (schema/matrix-report.schema.json)' }),
    o.value('markdown', {
      flag: '--markdown', value: 'FILE', parse: text, description: 'write the conformance document (as committed in docs/conformance.md)',
      more: 'when FILE exists, its sections for the isolations not run this time are kept as they were',
    }),
    o.value('junit', {
      flag: '--junit', value: 'FILE', parse: text,
      description: 'write JUnit XML: a case per fixture, failing when its failures differ from its declared deviations',
    }),
    o.value('html', {
      flag: '--html', value: 'FILE', parse: text,
      description: 'write one self-contained HTML page: the matrix (filter by rule and tool) and each check drawn',
      more: 'no network, opens from file://',
    }),
    o.switch('trace', {
      flag: '--trace',
      description: 'trace every check with strace (as check --trace); the conformance document gets each tool\'s observed sequence, the HTML page each check\'s sequence diagram',
      more: 'Linux with strace and ptrace; otherwise exit 2 before anything starts',
    }),
    o.value('traceMarkdown', {
      flag: '--trace-markdown', value: 'FILE', parse: text,
      description: 'with --trace: replace only the observed-sequences section of the conformance document FILE',
      more: 'how docs/conformance.md gets them without rerunning the isolations this machine lacks',
    }),
    o.value('fuzz', {
      flag: '--fuzz', value: 'RUNS', parse: positiveInteger,
      description: 'fuzz each daemonizer fixture on the host from RUNS generated callers instead of checking the matrix; its declared deviations are not counted',
      more: 'prints, for each, the smallest caller that breaks it and the check line that plants it: see [fuzz.md](fuzz.md)',
    }),
    o.value('fuzzSeed', { flag: '--fuzz-seed', value: 'N', parse: positiveInteger, default: '1', description: 'with --fuzz: the fast-check seed' }),
    o.value('fuzzMarkdown', {
      flag: '--fuzz-markdown', value: 'FILE', parse: text,
      description: 'with --fuzz: replace only the fuzz section of the conformance document FILE',
    }),
    o.value('image', { flag: '--image', value: 'NAME', parse: text, default: '$DAEMONSPEC_IMAGE or daemonspec:local', description: 'the Docker image for the docker isolations' }),
    o.value('jobs', { flag: '--jobs', value: 'N', parse: positiveInteger, default: DEFAULT_JOBS_TEXT, description: 'checks to run at once' }),
  ],
};
