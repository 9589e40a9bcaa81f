import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCliDoc } from '../../src/cli/options/docs.js';
import { COMMAND_SPECS } from '../../src/cli/options/index.js';
import { describe as describeOption, flagSyntax } from '../../src/cli/options/table.js';
import { runCli } from './run-cli.js';

/*
 * One option table per command drives commander, the conversion, --help and docs/cli.md: what
 * --help prints and what the docs say come from the same entries.
 */

describe('docs/cli.md', () => {
  it('is what npm run docs:cli makes of the option tables (run it after changing src/cli/options/)', () => {
    const committed = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    expect(renderCliDoc(committed, COMMAND_SPECS) === committed, 'docs/cli.md is out of date: run npm run docs:cli').toBe(true);
  });
});

describe.each(COMMAND_SPECS.map((spec) => [spec.name, spec] as const))('daemonspec %s --help', (name, spec) => {
  it('shows every entry of the table, with its value name and its default written one way', async () => {
    const result = await runCli([name, '--help']);
    expect(result.code, result.stderr).toBe(0);
    const help = result.stdout.replace(/\s+/g, ' ');
    for (const entry of spec.options) {
      const syntax = entry.value === undefined ? entry.flag : `${entry.flag} <${entry.value}>`;
      expect(help, `${name} --help lacks ${flagSyntax(entry)}`).toContain(syntax);
      expect(help).toContain(describeOption(entry).replace(/\s+/g, ' '));
    }
    expect(result.stdout).not.toMatch(/\(default: "/);
  });

  it('describes the command and its options in lower case, without a final period', () => {
    expect(spec.description).toMatch(/^[a-z].*[^.]$/);
    for (const entry of spec.options) expect(entry.description, entry.flag).toMatch(/^[a-z{].*[^.]$/);
  });
});

describe('--timeout: one duration syntax in every command', () => {
  it.each([
    ['run', ['run', '--timeout', 'soon', '--', '/bin/true']],
    ['stop', ['stop', '--pidfile', '/nonexistent/x.pid', '--timeout', 'soon']],
    ['check', ['check', '--timeout', 'soon', '--', '/bin/true']],
  ])('%s refuses a bad duration in the same words, exit 2', async (_name, args) => {
    const result = await runCli(args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe('daemonspec: --timeout: "soon" is not a duration: give seconds (10) or a number with a unit (500ms, 1.5s, 2m, 1h)\n');
  });

  it.each(['--stdout', '--stderr'])('run %s - is refused (it made a file named "-"): exit 2, nothing started', async (flag) => {
    const result = await runCli(['run', flag, '-', '--', '/bin/sleep', '300']);
    expect(result.stderr).toBe(`daemonspec: ${flag}: "-" would be a file named "-" here, and a daemon has no terminal to write to: give a file path (or /dev/null)\n`);
    expect(result.code).toBe(2);
  });

  // A new user's probe: hours were refused as "not a duration" though 24 days are allowed, and 0 or -5 got the same words.
  it.each([
    ['2h', null],
    ['0.5h', null],
    ['0', 'daemonspec: --timeout: "0" is no wait at all: give a duration above 0 (10, 500ms, 2m)\n'],
    ['0ms', 'daemonspec: --timeout: "0ms" is no wait at all: give a duration above 0 (10, 500ms, 2m)\n'],
    ['-5', 'daemonspec: --timeout: "-5" is negative: give a duration above 0 (10, 500ms, 2m)\n'],
    // A review: half a millisecond is a wait, just finer than daemonspec keeps; it was called "no wait at all".
    ['0.5ms', 'daemonspec: --timeout: "0.5ms" is shorter than 1 ms, the finest wait daemonspec keeps: give 1ms or more\n'],
    ['1.4ms', null],
  ])('--timeout %s', async (value, refusal) => {
    const result = await runCli(['stop', '--pidfile', '/nonexistent/x.pid', '--timeout', value]);
    if (refusal === null) {
      // taken: stop goes on to the pidfile, and finds nothing to stop
      expect(result.stderr).toBe('daemonspec: not running: nothing to stop for /nonexistent/x.pid\n');
      expect(result.code).toBe(1);
    } else {
      expect(result.stderr).toBe(refusal);
      expect(result.code).toBe(2);
    }
  });
});
