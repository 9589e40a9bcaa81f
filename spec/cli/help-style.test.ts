import { describe, expect, it } from 'vitest';
import { COMMAND_SPECS } from '../../src/cli/options/index.js';
import { runCli } from './run-cli.js';

/*
 * Issue 16.5: help texts consistent in case and in how defaults are shown. Every description is
 * one lower-case line without a final period; a default is only ever shown by the table's
 * `default` (so `(default: X)` in --help, the default column in docs/cli.md), never written into a
 * description; every command's help ends with an "Exit status:" paragraph.
 */
const entries = COMMAND_SPECS.flatMap((spec) => [
  { where: spec.name, text: spec.description },
  ...spec.options.map((o) => ({ where: `${spec.name} ${o.flag}`, text: o.description })),
]);

describe('help texts', () => {
  it.each(entries)('$where: one lower-case line, no final period, no default inside', ({ text }) => {
    expect(text).toMatch(/^[a-z$`'"(]/);
    expect(text).not.toMatch(/\.$/);
    expect(text).not.toContain('\n');
    expect(text).not.toMatch(/\bdefault\b/i);
  });

  it.each(COMMAND_SPECS.map((spec) => spec.name))('%s --help has an "Exit status:" paragraph', async (name) => {
    const r = await runCli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Exit status( \([^)]*\))?: 0 /m);
  });
});
