import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCliSync } from '../cli/run-cli.js';
import type { CheckReport } from '../../src/check/index.js';
import { correctSteps, DEFECTS, READY_TEXT, stepPaths, stepsCommand } from '../support/steps.js';
import { workDir } from './support.js';


function cli(args: string[]) {
  return runCliSync(args);
}

function flags(work: string): string[] {
  const p = stepPaths(work);
  return ['--pidfile', p.pidfile, '--stdout', p.stdout, '--stderr', p.stderr, '--ready-log', READY_TEXT, '--expect-log', READY_TEXT];
}

describe('daemonspec check', () => {
  test('exit 0 and a JSON report (schema 2) for a correct daemon; nothing left running', () => {
    const work = workDir();
    const r = cli(['check', '--json', ...flags(work), '--', ...stepsCommand(correctSteps(stepPaths(work)))]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(report).toMatchObject({ schemaVersion: 2, verdict: 'pass', profile: 'sysv', isolation: 'host' });
    expect(report.results).toHaveLength(17);
    expect(report.cleanup.leftRunning).toEqual([]);
    for (const pid of report.cleanup.stopped) expect(() => process.kill(pid, 0)).toThrow();
  });

  test('exit 1 with one line per rule, and JUnit XML with --junit', () => {
    const work = workDir();
    const steps = DEFECTS.find((d) => d.name === 'umask-kept')!.steps(stepPaths(work));
    const junit = join(work, 'report.xml');
    const r = cli(['check', '--junit', junit, ...flags(work), '--', ...stepsCommand(steps)]);
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stdout).toMatch(/✗ umask/);
    expect(r.stdout).toMatch(/✓ new-session/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testcase[^>]*name="umask[:"][^>]*>\s*<failure/);
  });

  test('exit 2 with one line for usage and environment errors', () => {
    for (const args of [
      ['check', '--umask', '9', '--', '/bin/true'],
      ['check', '--profile', 'nosuch', '--', '/bin/true'],
      ['check', '--repeat', '0', '--', '/bin/true'],
      ['check', '--isolation', 'nowhere', '--', '/bin/true'],
      ['check', '--', 'no-such-command-daemonspec'],
    ]) {
      const r = cli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
