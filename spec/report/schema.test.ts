import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ISOLATION_NAMES, RULE_IDS } from '../../src/check/report-types.js';
import { formatSchemaError, schemaDir, validateCheckReport, validateMatrixReport } from '../../src/report/schema/reports.js';
import { SchemaSet } from '../../src/report/schema/validate.js';
import { isolationAvailability } from '../../src/isolation/availability.js';
import { runCli } from '../cli/run-cli.js';

/*
 * The published schemas (schema/*.schema.json, in the package) against real reports of the CLI,
 * and the validator's errors on reports that do not match: one line each, naming the field.
 */

const schema = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(name, schemaDir()), 'utf8')) as Record<string, unknown>;

// Not on GitHub's terms even in GitHub's CI: these runs must not write to the job's summary.
const OFF_GITHUB = { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' };

async function json(args: string[]): Promise<Record<string, unknown>> {
  const result = await runCli(args, OFF_GITHUB);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

const namespace = await isolationAvailability('namespace');

describe('the published JSON Schemas', () => {
  it('check --json reports validate: a daemon judged twice (--repeat), and a command that leaves none', async () => {
    const judged = await json(['check', '--json', '--repeat', '2', '--', '/usr/bin/setsid', '--fork', '/bin/sleep', '30']);
    expect(judged.daemon).not.toBeNull();
    expect(judged.chain).toMatchObject({ launcher: { pid: expect.any(Number) }, checker: { pid: expect.any(Number) } });
    expect(validateCheckReport(judged).map(formatSchemaError)).toEqual([]);
    const none = await json(['check', '--json', '--timeout', '3s', '--', '/bin/true']);
    expect(none.noDaemon).not.toBeNull();
    expect(validateCheckReport(none).map(formatSchemaError)).toEqual([]);
  });

  it.skipIf(!namespace.available)(`a report from --isolation namespace validates (the checker is pid 1 there)${namespace.available ? '' : `: skipped, ${namespace.reason}`}`, async () => {
    const report = await json(['check', '--json', '--isolation', 'namespace', '--', '/usr/bin/setsid', '--fork', '/bin/sleep', '30']);
    expect(report.chain).toMatchObject({ checker: { pid: 1 } });
    expect(validateCheckReport(report).map(formatSchemaError)).toEqual([]);
  });

  it('matrix --json validates (a shard of it, with its check reports)', async () => {
    const matrix = await json(['matrix', '--json', '--jobs', '1', '--fixtures', 'setsid-fork,daemonize', '--shard', '1/2']);
    expect(matrix).toMatchObject({ kind: 'matrix', schemaVersion: 2, shard: { index: 1, count: 2 }, os: process.platform });
    expect((matrix.rows as unknown[]).length).toBe(1);
    expect(validateMatrixReport(matrix).map(formatSchemaError)).toEqual([]);
  });

  it('names the rules and isolations of this version', () => {
    const check = schema('check-report.schema.json') as { $defs: { ruleResult: { properties: { rule: { enum: string[] } } } }; properties: { isolation: { enum: string[] } } };
    expect(check.$defs.ruleResult.properties.rule.enum).toEqual([...RULE_IDS]);
    expect(check.properties.isolation.enum).toEqual([...ISOLATION_NAMES]);
    // A manifest may declare a deviation from any rule (the life-cycle ones in the matrix too).
    const matrix = schema('matrix-report.schema.json') as { $defs: { deviation: { properties: { rule: { enum: string[] } } } } };
    expect(matrix.$defs.deviation.properties.rule.enum).toEqual([...RULE_IDS]);
  });

  it('says what does not match, one line per problem, with the path', async () => {
    const report = await json(['check', '--json', '--timeout', '3s', '--', '/bin/true']);
    const bad = structuredClone(report) as Record<string, unknown> & { results: Record<string, unknown>[]; launcher: Record<string, unknown> };
    bad.results[2]!.status = 'ok';
    delete bad.launcher.timedOut;
    bad.extra = 1;
    bad.runs = 0;
    expect(validateCheckReport(bad).map(formatSchemaError)).toEqual([
      '/launcher lacks the required field "timedOut"',
      '/results/2/status must be one of "pass", "fail", "skip", "racy", not "ok"',
      '/runs must be at least 1, not 0',
      '/extra is not a field of this report (a newer version, or not a daemonspec report?)',
    ]);
    expect(validateCheckReport([]).map(formatSchemaError)).toEqual(['(the document) must be object, not array []']);
    expect(validateMatrixReport(report).map(formatSchemaError)[0]).toMatch(/lacks the required field "kind"/);
  });

  it('the validator refuses a schema keyword it does not implement', () => {
    expect(() => new SchemaSet().add({ $id: 'x', type: 'object', properties: { a: { pattern: '^a' } } })).toThrow(/keyword "pattern" is not implemented/);
  });
});
