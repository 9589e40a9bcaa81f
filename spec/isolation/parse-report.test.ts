/**
 * What an isolated check's exit status and output mean to the matrix: a check that exits 2 because
 * it could not stop what it started still judged the rules, and its report is the row's (it was
 * an error row, the verdicts lost); an exit 2 without a report is a refusal, an error.
 */
import { describe, expect, it } from 'vitest';
import { parseIsolatedReport } from '../../src/isolation/parse-report.js';
import type { ChildResult } from '../../src/isolation/run-child.js';

const report = (leftRunning: number[]): string => JSON.stringify({ schemaVersion: 2, verdict: 'fail', cleanup: { stopped: [], leftRunning } });
const child = (exitCode: number, stdout: string, stderr = ''): ChildResult => ({ exitCode, signal: null, stdout, stderr, timedOut: false });

describe('parseIsolatedReport', () => {
  it('exit 2 with a report naming what was left running: the report, with its verdicts', () => {
    const parsed = parseIsolatedReport(child(2, report([4242]), 'daemonspec: the check could not stop pid 4242: ...\n'), 'host', 'a child process');
    expect(parsed.verdict).toBe('fail');
    expect(parsed.cleanup.leftRunning).toEqual([4242]);
    expect(parsed.isolation).toBe('host');
  });

  it('exit 2 without a report (a refusal) or with nothing left running: an error that quotes the checker', () => {
    expect(() => parseIsolatedReport(child(2, '', 'daemonspec: unknown option --bogus\n'), 'host', 'a child process')).toThrow(
      'the check in a child process exited with status 2: unknown option --bogus',
    );
    expect(() => parseIsolatedReport(child(2, report([])), 'host', 'a child process')).toThrow('exited with status 2');
  });

  it('exit 0 and 1 carry a report; another schema version is refused', () => {
    expect(parseIsolatedReport(child(1, report([])), 'namespace', 'a namespace').isolation).toBe('namespace');
    expect(() => parseIsolatedReport(child(0, JSON.stringify({ schemaVersion: 1 })), 'host', 'a child process')).toThrow('schema version 1, expected 2');
  });
});
