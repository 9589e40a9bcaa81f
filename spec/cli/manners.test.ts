import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { CLI, runCli } from './run-cli.js';

/*
 * CLI manners every command owes its users, and docs/cli.md kept true to the commands that
 * exist. Every command has landed: a placeholder left registered is a failure.
 */

const PLACEHOLDER = '(not yet available)';
const commands = (await buildProgram(['node', 'daemonspec'])).commands;
const docs = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');

/** The `## name` section of docs/cli.md. */
function docSection(name: string): string {
  const start = docs.indexOf(`\n## ${name}\n`);
  if (start < 0) return '';
  const next = docs.indexOf('\n## ', start + 1);
  return docs.slice(start, next < 0 ? undefined : next);
}

describe('daemonspec (top level)', () => {
  it('--version prints the package version and exits 0', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v', '-V']) {
      const result = await runCli([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(pkg.version);
    }
  });

  it('--help lists every command, each documented in docs/cli.md', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of commands) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command.name()}\\b`, 'm'));
      expect(docSection(command.name()), `docs/cli.md has no "## ${command.name()}" section`).not.toBe('');
    }
  });

  it('an unknown command is a usage error: exit 2, one line naming it on stderr', async () => {
    const result = await runCli(['no-such-command']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no-such-command');
    expect(result.stdout).toBe('');
  });
});

describe.each(commands.map((c) => [c.name(), c] as const))('daemonspec %s', (name, command) => {
  it('is a real command, not a placeholder', () => {
    expect(command.description()).not.toContain(PLACEHOLDER);
  });

  it('--help has examples and exits 0', async () => {
    const result = await runCli([name, '--help']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Examples?:\n\s+\$? ?daemonspec /);
  });

  it('docs/cli.md documents exactly the options the command has', () => {
    const section = docSection(name);
    const actual = command.options.map((option) => option.long).filter((flag): flag is string => Boolean(flag));
    for (const flag of actual) expect(section, `docs/cli.md "## ${name}" does not mention ${flag}`).toContain(flag);
    const documented = [...section.matchAll(/^\| `(--[a-z-]+)/gm)].map((m) => m[1]!);
    for (const flag of documented) expect(actual, `docs/cli.md documents ${flag}, which \`${name}\` does not have`).toContain(flag);
  });
});

/** Runs the CLI under a pseudo-terminal (util-linux script), so it sees a TTY on stdout. */
function runOnTty(args: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'script',
      ['-qefc', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} ${args}`, '/dev/null'],
      { env: { ...process.env, ...env }, timeout: 30_000, killSignal: 'SIGKILL', encoding: 'utf8' },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

describe.runIf(process.platform === 'linux')('colour', () => {
  it('doctor colours its marks on a terminal, and not with NO_COLOR set', async () => {
    const env = { NO_COLOR: '', FORCE_COLOR: undefined };
    expect(await runOnTty('doctor', env)).toContain('\x1b[');
    expect(await runOnTty('doctor', { ...env, NO_COLOR: '1' })).not.toContain('\x1b[');
  });

  it('doctor prints no escape codes into a pipe', async () => {
    const result = await runCli(['doctor'], { FORCE_COLOR: undefined });
    expect(result.stdout).not.toContain('\x1b[');
  });
});

describe('FORCE_COLOR', () => {
  it('colours even into a pipe when set, and FORCE_COLOR=0 turns colour off', async () => {
    expect((await runCli(['doctor'], { FORCE_COLOR: '1', NO_COLOR: undefined })).stdout).toContain('\x1b[');
    expect((await runCli(['doctor'], { FORCE_COLOR: '0', NO_COLOR: undefined })).stdout).not.toContain('\x1b[');
  });
});
