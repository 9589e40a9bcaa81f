import { DEFAULT_JOBS_TEXT } from '../../check/default-jobs.js';
import { DaemonspecError } from '../../errors.js';
import type { FuzzOptions } from '../../fuzz/lazy.js';
import { CHECK } from './check.js';
import { commaList, positiveInteger, text } from './parsers.js';
import { type CommandSpec, type OptionTable, optionsFor } from './table.js';

/** What `fuzz`'s flags set: the library's FuzzOptions and the command's own outputs. */
export interface FuzzSettings extends Omit<FuzzOptions, 'onRun'> {
  json?: boolean;
  junit?: string;
  html?: string;
}

const o = optionsFor<FuzzSettings>();

/** `check`'s options that mean the same per run; fuzz sets the caller, the seed and the repeat itself. */
const FROM_CHECK = new Set(['profile', 'pidfile', 'stdout', 'stderr', 'umask', 'cwd', 'readyLog', 'expectLog', 'allowIgnored', 'strict', 'timeoutMs', 'isolation', 'image']);

function integerSeed(value: string, flag: string): number {
  if (!/^-?\d{1,10}$/.test(value) || Math.abs(Number(value)) >= 2 ** 31) {
    throw new DaemonspecError('EUSAGE', `${flag}: ${JSON.stringify(value)} is not a fuzz seed; give the integer a fuzz report printed`);
  }
  return Number(value);
}

export const FUZZ: CommandSpec<FuzzSettings> = {
  name: 'fuzz',
  description: 'check a daemonizing command from many generated callers and shrink a failure to the smallest caller',
  usage: '[options] -- CMD [ARGS...]',
  runs: 'the command that daemonizes, after --; {pidfile} {stdout} {stderr} {dir} are fresh per run',
  errorExit: 2,
  options: [
    ...(CHECK.options.filter((entry) => FROM_CHECK.has(entry.to)) as unknown as OptionTable<FuzzSettings>),
    o.value('runs', { flag: '--runs', value: 'N', parse: positiveInteger, default: '100', description: 'how many generated callers to try' }),
    o.value('seed', {
      flag: '--seed', value: 'SEED', parse: integerSeed, default: 'a fresh one, printed',
      description: 'the fast-check seed (an integer) the callers are drawn from',
    }),
    o.value('path', {
      flag: '--path', value: 'PATH', parse: text,
      description: 'with --seed: replay exactly the caller at this fast-check path (from a report), without searching',
    }),
    o.value('ignoreRules', {
      flag: '--ignore-rules', value: 'RULES', parse: commaList,
      description: 'rule ids not counted against a caller, comma-separated (failures already known; no-daemon too)',
    }),
    o.value('jobs', { flag: '--jobs', value: 'J', parse: positiveInteger, default: DEFAULT_JOBS_TEXT, description: 'checks at a time while searching (shrinking runs one at a time)' }),
    o.switch('json', { flag: '--json', description: 'print the fuzz report as one JSON object' }),
    o.value('junit', { flag: '--junit', value: 'FILE', parse: text, description: 'also write JUnit XML to FILE: one testcase per run', more: 'its directory is made if missing' }),
    o.value('html', {
      flag: '--html', value: 'FILE', parse: text,
      description: 'also write one self-contained HTML page to FILE: the smallest caller that breaks the daemon, its replays, every run, and that check drawn as check --html draws it',
      more: 'no network, opens from file://; its directory is made if missing',
    }),
  ],
};
