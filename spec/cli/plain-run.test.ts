import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RUN } from '../../src/cli/options/run.js';
import { plainRun } from '../../src/cli/plain-run.js';
import { buildProgram } from '../../src/cli/program.js';
import { assertProperty } from '../support/property.js';

/*
 * A `run` command line in its plain shape starts the daemon without commander (issue 14.1). What
 * plain-run.ts accepts must mean what commander makes of it: the same flags record and the same
 * command. Generated command lines mix every flag of the run table, both spellings of a value,
 * repeats, and values and command words chosen to look like flags, `--`, `=` or nothing.
 */

interface Parsed {
  command: string[];
  flags: Record<string, unknown>;
}

/** What commander's run command is called with for `argv` (the real program; its action replaced), or null when it refuses. */
async function commanderParse(argv: readonly string[]): Promise<Parsed | null> {
  const program = await buildProgram(argv);
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  const run = program.commands.find((command) => command.name() === 'run')!;
  run.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  let parsed: Parsed | null = null;
  run.action((command: string[], flags: Record<string, unknown>) => {
    parsed = { command, flags: { ...flags } };
  });
  try {
    await program.parseAsync(argv);
  } catch {
    return null;
  }
  return parsed;
}

const TRICKY = ['x', '/tmp/a b.pid', 'a=b', '=', '-', '-x', '--', '--pidfile', '--bogus', '', 'run', '3', 'HOME=/', '--print-pid'];
const word = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 6 }));

/** One flag of the run table as typed: `--flag`, `--flag VALUE` or `--flag=VALUE`; sometimes a near miss. */
const flagWords = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...RUN.options), word, fc.boolean()).map(([entry, value, inline]) => {
    if (entry.kind === 'switch') return inline ? [`${entry.flag}=${value}`] : [entry.flag];
    return inline ? [`${entry.flag}=${value}`] : [entry.flag, value];
  }) },
  { weight: 1, arbitrary: fc.constantFrom(['--pid'], ['-h'], ['--help'], ['--no-notify'], ['--bogus', 'x'], ['cmd']) },
);

const commandLine = fc
  .tuple(fc.array(flagWords, { maxLength: 6 }), fc.boolean(), fc.array(word, { maxLength: 4 }))
  .map(([flags, separator, command]) => ['node', 'daemonspec', 'run', ...flags.flat(), ...(separator ? ['--'] : []), ...command]);

describe('a plain `daemonspec run` command line (src/cli/plain-run.ts)', () => {
  it('is read as commander reads it: the same flags and the same command, over generated command lines', async () => {
    let plainSeen = 0;
    await assertProperty(
      fc.asyncProperty(commandLine, async (argv) => {
        const plain = plainRun(argv);
        if (plain === null) return;
        plainSeen++;
        expect(await commanderParse(argv)).toEqual({ command: plain.command, flags: plain.flags });
      }),
      { runs: 400, timeoutMs: 60_000, file: 'spec/cli/plain-run.test.ts' },
    );
    expect(plainSeen, 'the generator made too few plain command lines to test anything').toBeGreaterThan(40);
  }, 60_000);

  it.each([
    [['run', '--pidfile', '/tmp/p', '--', '/bin/sleep', '1'], { flags: { pidfile: '/tmp/p' }, command: ['/bin/sleep', '1'] }],
    [['run', '--env=A=1', '--env', 'B=2', '--print-pid', '--', 'cmd', '--', '-x'], { flags: { env: ['A=1', 'B=2'], printPid: true }, command: ['cmd', '--', '-x'] }],
  ])('reads %j', (args, expected) => {
    expect(plainRun(['node', 'daemonspec', ...args])).toEqual(expected);
  });

  it.each([
    ['help', ['run', '--help']],
    ['no separator', ['run', '/bin/sleep', '1']],
    ['no command', ['run', '--pidfile', 'p', '--']],
    ['a value that looks like a flag', ['run', '--pidfile', '--stdout', '--', 'cmd']],
    ['a missing value', ['run', '--pidfile']],
    ['an abbreviation', ['run', '--pid', 'p', '--', 'cmd']],
    ['a value given to a switch', ['run', '--notify=yes', '--', 'cmd']],
    ['another command', ['stop', '--pidfile', 'p']],
    ['a one-value flag given twice (commander refuses it)', ['run', '--timeout', '1', '--timeout=2', '--', 'cmd']],
  ])('leaves %s to commander', (_what, args) => {
    expect(plainRun(['node', 'daemonspec', ...args])).toBeNull();
  });
});
