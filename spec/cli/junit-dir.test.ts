import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workDir } from '../check/support.js';
import { correctSteps, READY_TEXT, stepPaths, stepsCommand } from '../support/steps.js';
import { runCli } from './run-cli.js';

describe('check --junit', () => {
  it('creates the report directory when it is missing (CI: --junit reports/daemon.xml)', async () => {
    const work = workDir();
    const p = stepPaths(work);
    const junit = join(work, 'reports', 'nested', 'daemon.xml');
    expect(existsSync(join(work, 'reports'))).toBe(false);
    const flags = ['--pidfile', p.pidfile, '--stdout', p.stdout, '--stderr', p.stderr, '--ready-log', READY_TEXT];
    const result = await runCli(['check', '--junit', junit, ...flags, '--', ...stepsCommand(correctSteps(p))]);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuite/);
  });
});
