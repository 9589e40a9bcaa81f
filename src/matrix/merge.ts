import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DaemonspecError } from '../errors.js';
import { ISOLATION_NAMES } from '../isolation/types.js';
import { formatSchemaError, validateCheckReport, validateMatrixReport } from '../report/schema/reports.js';
import type { MatrixRow } from './job.js';
import type { MatrixResult } from './run.js';

/** A matrix report read from a file, with the file's name for messages. */
export interface ShardFile {
  file: string;
  result: MatrixResult;
}

function refuse(file: string, why: string): DaemonspecError {
  return new DaemonspecError('EUSAGE', `merge: ${file} ${why}`, { path: file });
}

/**
 * Reads one `matrix --json` report and checks it against schema/matrix-report.schema.json.
 * Anything else is refused in one line that says what is wrong and what to give instead.
 */
export function readShard(file: string): ShardFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw refuse(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): give the file \`matrix --json\` wrote`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw refuse(file, `is not JSON (${(error as Error).message}): give the output of \`daemonspec matrix --json\``);
  }
  const errors = validateMatrixReport(value);
  if (errors.length > 0) {
    if (validateCheckReport(value).length === 0) throw refuse(file, 'is a check report; merge joins matrix reports: give the output of `daemonspec matrix --json`');
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw refuse(file, `does not match schema/matrix-report.schema.json: ${formatSchemaError(errors[0]!)}${more}`);
  }
  return { file, result: value as MatrixResult };
}

/** Shards missing from the inputs, per OS ("linux shard 3/4"), from the shard numbers the reports carry. */
export function missingShards(shards: readonly ShardFile[]): string[] {
  const missing: string[] = [];
  for (const os of [...new Set(shards.map((s) => s.result.os))]) {
    const mine = shards.filter((s) => s.result.os === os && s.result.shard !== null).map((s) => s.result.shard!);
    const counts = [...new Set(mine.map((s) => s.count))];
    for (const count of counts) {
      for (let index = 1; index <= count; index++) {
        if (!mine.some((s) => s.count === count && s.index === index)) missing.push(`${os} shard ${index}/${count}`);
      }
    }
  }
  return missing;
}

/**
 * Joins shard reports into one matrix per OS (in order of first appearance): the union of their
 * fixtures, isolations and rows, sorted as one unsharded run sorts them. A fixture × isolation
 * pair given twice for one OS is refused: it would be counted twice.
 */
export function mergeShards(shards: readonly ShardFile[]): MatrixResult[] {
  const oses = [...new Set(shards.map((s) => s.result.os))];
  return oses.map((os) => {
    const mine = shards.filter((s) => s.result.os === os);
    const seen = new Map<string, string>();
    const rows: MatrixRow[] = [];
    for (const { file, result } of mine) {
      for (const row of result.rows) {
        const key = `${row.isolation} ${row.fixture}`;
        const other = seen.get(key);
        if (other !== undefined) throw refuse(file, `and ${other} both hold ${os} ${key}: give each shard once`);
        seen.set(key, basename(file));
        rows.push(row);
      }
    }
    const isolations = ISOLATION_NAMES.filter((i) => mine.some((s) => s.result.isolations.includes(i)));
    const fixtures = [...new Map(mine.flatMap((s) => s.result.fixtures).map((f) => [f.manifest.name, f])).values()].sort((a, b) =>
      a.manifest.name < b.manifest.name ? -1 : 1,
    );
    const rank = (row: MatrixRow): string => `${isolations.indexOf(row.isolation)}\0${row.fixture}`;
    rows.sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
    const seeds = [...new Set(mine.map((s) => s.result.seed))];
    const durationMs = mine.reduce((sum, s) => sum + s.result.durationMs, 0);
    return { os, shard: null, isolations, seed: seeds.join(', '), fixtures, rows, durationMs };
  });
}
