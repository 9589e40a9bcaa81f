import type { Command } from 'commander';
import { conforms } from '../matrix/judge.js';
import { mergeShards, missingShards, readShard } from '../matrix/merge.js';
import { renderText } from '../matrix/text.js';
import { addCommand } from './options/build.js';
import { convertFlags } from './options/convert.js';
import { MERGE } from './options/merge.js';
import { writeMatrixOutputs } from './matrix-outputs.js';

export function registerMerge(program: Command, argv: readonly string[]): void {
  addCommand(program, MERGE, argv)
    .argument('<report...>', 'the matrix reports to join (matrix --json output), one per shard')
    .addHelpText(
      'after',
      `
Each report is checked against schema/matrix-report.schema.json first: one that does not match,
or a fixture × isolation given twice for one OS, is refused before anything is written.
On GitHub Actions (GITHUB_ACTIONS=true) each row that is not as declared is an ::error annotation
and a summary goes to $GITHUB_STEP_SUMMARY.

Exit status: 0 every tool fails exactly its declared deviations and no shard is missing;
1 otherwise (a missing shard is named on stderr); 2 usage, or a report that is refused.

Examples:
  $ daemonspec matrix --shard 1/2 --json > shard-1.json; daemonspec matrix --shard 2/2 --json > shard-2.json
  $ daemonspec merge --markdown reports/conformance.md --junit reports/matrix.xml --html reports/matrix.html shard-*.json`,
    )
    .action((reports: string[], flags: Record<string, unknown>) => {
      const files = convertFlags(MERGE.options, flags);
      const shards = reports.map(readShard);
      const results = mergeShards(shards);
      const missing = missingShards(shards);
      writeMatrixOutputs(results, files, missing);
      for (const result of results) process.stdout.write(`${result.os}\n${renderText(result)}\n`);
      for (const shard of missing) process.stderr.write(`daemonspec: merge: ${shard} is missing: its report was not given\n`);
      const ok = results.every((r) => r.rows.every((row) => conforms(row, r.fixtures.find((f) => f.manifest.name === row.fixture)!.manifest)));
      process.exitCode = ok && missing.length === 0 ? 0 : 1;
    });
}
