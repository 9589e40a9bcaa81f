import type { Command } from 'commander';
import { startedByTheseChecks } from '../check/adopted.js';
import { interruptible } from '../check/interrupt.js';
import { liveTempDirs } from '../check/temp-dir.js';
import { DaemonspecError } from '../errors.js';
import { conforms } from '../matrix/judge.js';
import { renderMatrixJson } from '../matrix/json.js';
import { renderTracesSection, replaceSection } from '../matrix/markdown.js';
import { runMatrix } from '../matrix/run.js';
import { renderText } from '../matrix/text.js';
import { addCommand } from './options/build.js';
import { convertFlags } from './options/convert.js';
import { MATRIX } from './options/matrix.js';
import { writeMatrixOutputs } from './matrix-outputs.js';
import { checkWritableFile, readOutputFile, writeOutputFile } from './output-file.js';
import { runMatrixFuzz, validateFuzzFlags } from './matrix-fuzz.js';

/** Replaces (or appends) the observed-sequences section of the document `file`. */
function writeTraceSection(file: string, section: string | null): void {
  if (section === null) return;
  writeOutputFile('--trace-markdown', file, replaceSection(readOutputFile(file) ?? '', 'traces', section));
}

export function registerMatrix(program: Command, argv: readonly string[]): void {
  addCommand(program, MATRIX, argv)
    .addHelpText(
      'after',
      `
Every fixtures/<name>/manifest.json is started as its users start it and checked; a fixture whose
tool is not installed is skipped with the reason.

Exit status: 0 each tool fails exactly the rules its manifest declares as deviations; 1 otherwise;
2 usage; 130 interrupted (SIGINT, SIGTERM, SIGHUP: its checks are stopped, their temporary directories removed).

Examples:
  $ daemonspec matrix
  $ daemonspec matrix --fixtures python-daemon,start-stop-daemon --isolation host,namespace
  $ daemonspec matrix --isolation all --markdown docs/conformance.md --junit reports/matrix.xml
  $ daemonspec matrix --shard 2/4 --json > shard-2.json      # then: daemonspec merge shard-*.json
  $ daemonspec matrix --trace --trace-markdown docs/conformance.md   # each tool's observed sequence
  $ daemonspec matrix --fuzz 15 --fuzz-markdown docs/conformance.md   # the smallest caller that breaks each tool`,
    )
    .action(async (flags: Record<string, unknown>) => {
      const settings = convertFlags(MATRIX.options, flags);
      validateFuzzFlags(settings);
      // Every file it will write, before any check runs.
      for (const [flag, file] of [['--markdown', settings.markdown], ['--junit', settings.junit], ['--html', settings.html], ['--trace-markdown', settings.traceMarkdown], ['--fuzz-markdown', settings.fuzzMarkdown]] as const) {
        if (file !== undefined) checkWritableFile(flag, file);
      }
      if (settings.fuzz !== undefined) return runMatrixFuzz(settings);
      const { json, markdown, junit, html, traceMarkdown, fuzz: _fuzz, fuzzSeed: _seed, fuzzMarkdown: _fuzzMarkdown, ...options } = settings;
      if (traceMarkdown !== undefined && options.trace !== true) {
        throw new DaemonspecError('EUSAGE', '--trace-markdown needs --trace: add --trace');
      }
      const tty = process.stderr.isTTY === true;
      const result = await interruptible({ command: 'matrix', ours: startedByTheseChecks, dirs: () => liveTempDirs }, () =>
        runMatrix({
          ...options,
          onProgress: tty
            ? (done, total, row) => process.stderr.write(`\r\x1b[K[${done}/${total}] ${row.isolation} ${row.fixture}`)
            : undefined,
        }),
      );
      if (tty) process.stderr.write('\r\x1b[K');
      // With --json on stdout, annotations would corrupt it: the merge of the shards annotates.
      writeMatrixOutputs([result], { markdown, junit, html, traced: options.trace === true }, [], { annotate: !json });
      if (traceMarkdown !== undefined) writeTraceSection(traceMarkdown, renderTracesSection(result));
      process.stdout.write(json ? renderMatrixJson(result) : `${renderText(result)}\n`);
      const fixtures = new Map(result.fixtures.map((f) => [f.manifest.name, f.manifest]));
      process.exitCode = result.rows.every((row) => conforms(row, fixtures.get(row.fixture)!)) ? 0 : 1;
    });
}
