import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { DaemonspecError } from '../errors.js';
import { ISOLATION_NAMES, type IsolationName } from '../isolation/types.js';
import { conforms } from '../matrix/judge.js';
import { renderJunit } from '../matrix/junit.js';
import { renderMarkdown } from '../matrix/markdown.js';
import { runMatrix } from '../matrix/run.js';
import { renderText } from '../matrix/text.js';

interface MatrixFlags {
  isolation: string;
  fixtures?: string;
  json?: boolean;
  markdown?: string;
  junit?: string;
  image?: string;
  jobs?: string;
}

function parseIsolations(value: string): IsolationName[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.includes('all')) return [...ISOLATION_NAMES];
  for (const name of names) {
    if (!(ISOLATION_NAMES as readonly string[]).includes(name)) {
      throw new DaemonspecError('EUSAGE', `unknown isolation "${name}"; use ${ISOLATION_NAMES.join(', ')} or all`);
    }
  }
  return names as IsolationName[];
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

export function registerMatrix(program: Command): void {
  program
    .command('matrix')
    .description('run every fixture (fixtures/*/manifest.json) under each isolation and print the conformance table')
    .option('--isolation <list>', `comma-separated: ${ISOLATION_NAMES.join(', ')}, or all`, 'host')
    .option('--fixtures <list>', 'comma-separated fixture names (default: all)')
    .option('--json', 'print every report as JSON instead of the table')
    .option('--markdown <file>', 'write the conformance document (docs/conformance.md)')
    .option('--junit <file>', 'write JUnit XML: a case per fixture, failing when its failures differ from its declared deviations')
    .option('--image <name>', 'Docker image for the docker isolations (default daemonspec:local)')
    .option('--jobs <n>', 'checks to run at once (default: the number of CPUs)')
    .addHelpText(
      'after',
      `
Every fixtures/<name>/manifest.json is started as its users start it and checked; a fixture whose
tool is not installed is skipped with the reason. The exit status is 0 when each tool fails
exactly the rules its manifest declares as deviations, 1 otherwise, 2 for a usage error.

Examples:
  $ daemonspec matrix
  $ daemonspec matrix --fixtures python-daemon,start-stop-daemon --isolation host,namespace
  $ daemonspec matrix --isolation all --markdown docs/conformance.md --junit reports/matrix.xml`,
    )
    .action(async (flags: MatrixFlags) => {
      const jobs = flags.jobs === undefined ? undefined : Number(flags.jobs);
      if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) {
        throw new DaemonspecError('EUSAGE', `--jobs must be a positive integer, not "${flags.jobs}"`);
      }
      const tty = process.stderr.isTTY === true;
      const result = await runMatrix({
        isolations: parseIsolations(flags.isolation),
        ...(flags.fixtures ? { fixtures: flags.fixtures.split(',').map((s) => s.trim()) } : {}),
        ...(flags.image ? { image: flags.image } : {}),
        ...(jobs ? { jobs } : {}),
        onProgress: tty
          ? (done, total, row) => process.stderr.write(`\r\x1b[K[${done}/${total}] ${row.isolation} ${row.fixture}`)
          : undefined,
      });
      if (tty) process.stderr.write('\r\x1b[K');
      if (flags.markdown) write(flags.markdown, renderMarkdown(result));
      if (flags.junit) write(flags.junit, renderJunit(result));
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${renderText(result)}\n`);
      const fixtures = new Map(result.fixtures.map((f) => [f.manifest.name, f.manifest]));
      process.exitCode = result.rows.every((row) => conforms(row, fixtures.get(row.fixture)!)) ? 0 : 1;
    });
}
