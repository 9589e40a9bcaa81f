import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDir } from '../support/temp-dir.js';

const root = join(import.meta.dirname, '../..');

// Runs the real benchmark with tiny repetition counts: it must start and stop every peer,
// print the table and write the markdown. No figure is asserted (speed is not a test).
describe('npm run bench --quick', () => {
  it('prints the tables, writes markdown, and leaves no process behind', { timeout: 180_000 }, () => {
    const dir = testDir('bench-quick-');
    const markdown = join(dir, 'benchmarks.md');
    const result = spawnSync(
      process.execPath,
      ['scripts/bench.mjs', '--quick', '--quiet', '--only', 'ready,fds,memory', '--markdown', markdown],
      { cwd: root, encoding: 'utf8', timeout: 170_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const out = result.stdout;
    expect(out).toContain('== Targets');
    expect(out).toContain('== Time to a ready daemon');
    expect(out).toContain('== Closing inherited fds');
    expect(out).toMatch(/^start-stop-daemon\s+\d/m);
    expect(out).toMatch(/^floor: node -e 0\s+\d/m);
    expect(out).not.toContain('LEFT RUNNING');
    const md = readFileSync(markdown, 'utf8');
    expect(md).toMatch(/^# Benchmarks/);
    expect(md).toContain('| CPUs (`nproc`) |');
    expect(md).toContain('## Targets');
  });

  // A section name with a typo ran nothing and wrote an empty report; an unknown option threw a stack trace.
  it.for([
    [['--only', 'fast'], /^bench: --only: no section fast; the sections are imports, .*--help/],
    [['--only', ','], /^bench: --only names no section; the sections are imports, /],
    [['--nope'], /^bench: Unknown option '--nope'/],
    [['--rounds', '0'], /^bench: --rounds must be a positive integer, not 0/],
  ] as const)('refuses %s before anything runs: one line, exit 2', ([args, message]) => {
    const result = spawnSync(process.execPath, ['scripts/bench.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });
});
