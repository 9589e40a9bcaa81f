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

  it('a check refused before it runs leaves no report directory behind (it made one: a new user\'s probe)', async () => {
    const work = workDir();
    const junit = join(work, 'newdir', 'deeper', 'daemon.xml');
    const result = await runCli(['check', '--junit', junit, '--', join(work, 'no-such-command')]);
    expect(result.code, result.stderr).toBe(2);
    expect(existsSync(join(work, 'newdir'))).toBe(false);
  });

  it('with --json: the JSON report on stdout and the JUnit file both (docs/cli.md: --junit "also" writes)', async () => {
    const work = workDir();
    const p = stepPaths(work);
    const junit = join(work, 'daemon.xml');
    const flags = ['--pidfile', p.pidfile, '--stdout', p.stdout, '--stderr', p.stderr, '--ready-log', READY_TEXT];
    const result = await runCli(['check', '--json', '--junit', junit, ...flags, '--', ...stepsCommand(correctSteps(p))]);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect((JSON.parse(result.stdout) as { verdict: string }).verdict).toBe('pass');
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuite/);
  });
});

/*
 * A report path whose directory cannot be made is refused before anything runs, for every
 * command that writes one. Under /proc, mkdir answers ENOENT although the parent exists: Node
 * 20's recursive mkdirSync then loops forever at full CPU, and the command hung.
 */
describe.runIf(process.platform === 'linux')('a report directory that cannot be made (under /proc)', () => {
  const where = '/proc/daemonspec-no-such-dir/report';
  it.each([
    ['check --junit', ['check', '--junit', `${where}.xml`, '--', '/bin/true'], '--junit'],
    ['check --html', ['check', '--html', `${where}.html`, '--', '/bin/true'], '--html'],
    ['fuzz --html', ['fuzz', '--runs', '1', '--html', `${where}.html`, '--', '/bin/true'], '--html'],
    ['matrix --markdown', ['matrix', '--fixtures', 'nohup', '--markdown', `${where}.md`], '--markdown'],
    ['matrix --junit', ['matrix', '--fixtures', 'nohup', '--junit', `${where}.xml`], '--junit'],
    ['matrix --fuzz-markdown', ['matrix', '--fixtures', 'nohup', '--fuzz', '1', '--fuzz-markdown', `${where}.md`], '--fuzz-markdown'],
  ])('%s: exit 2 with one line naming the flag, nothing run', async (_name, args, flag) => {
    const result = await runCli(args, {}, 20_000);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^daemonspec: ${flag}: cannot write /proc/daemonspec-no-such-dir/report\\.\\w+: the directory /proc/daemonspec-no-such-dir cannot be made or written \\(ENOENT\\); give another path\\n$`));
    expect(result.stdout).toBe('');
  });
});

/*
 * A report path whose directory exists and passes the check before the run, yet refuses the write
 * (/proc: root may write the directory, no file can be made there), found by a probe: the check ran,
 * then the write threw a stack. It is one line naming the flag, exit 2.
 */
describe.runIf(process.platform === 'linux' && process.getuid?.() === 0)('a report file that cannot be written after the check ran', () => {
  it.each([
    ['check --junit', ['check', '--junit', '/proc/daemonspec-x.xml', '--', '/bin/true'], '--junit', '/proc/daemonspec-x.xml'],
    ['check --html', ['check', '--html', '/proc/daemonspec-x.html', '--', '/bin/true'], '--html', '/proc/daemonspec-x.html'],
  ])('%s: exit 2 with one line naming the flag', async (_name, args, flag, file) => {
    const result = await runCli(args, {}, 30_000);
    expect(result.stderr).toMatch(new RegExp(`^daemonspec: ${flag}: cannot write ${file.replace(/\./g, '\\.')} \\(\\w+\\); give another path\\n$`));
    expect(result.code).toBe(2);
  });
});
