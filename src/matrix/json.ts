import { toJsonObject } from '../report/json.js';
import type { MatrixResult } from './run.js';

/**
 * `daemonspec matrix --json`: the run (or one shard of it) as one JSON object, schema version 2,
 * published as schema/matrix-report.schema.json; each row's report is a check report in the
 * key order of `check --json`. `daemonspec merge` reads these.
 */
export function toMatrixJson(result: MatrixResult): Record<string, unknown> {
  return {
    schemaVersion: 2,
    kind: 'matrix',
    os: result.os,
    shard: result.shard,
    isolations: result.isolations,
    seed: result.seed,
    durationMs: result.durationMs,
    fixtures: result.fixtures,
    rows: result.rows.map((row) => (row.report ? { ...row, report: toJsonObject(row.report) } : row)),
  };
}

export function renderMatrixJson(result: MatrixResult): string {
  return `${JSON.stringify(toMatrixJson(result), null, 2)}\n`;
}
