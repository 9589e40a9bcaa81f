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
});
