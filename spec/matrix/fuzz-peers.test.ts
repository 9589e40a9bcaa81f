/**
 * `matrix --fuzz RUNS --fuzz-markdown FILE` (issue 11.5): the peers fuzzed on the host, their
 * findings written into the conformance document's own section, which a plain `matrix
 * --markdown` keeps; and the flags that do not go with it refused before anything starts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownSections } from '../../src/matrix/markdown.js';
import { renderFuzzSection } from '../../src/matrix/fuzz-section.js';
import { runCliSync } from '../cli/run-cli.js';
import { testDir } from '../support/temp-dir.js';

const OLD = 'head\n<!-- matrix:begin host -->\nold table\n<!-- matrix:end host -->\n<!-- matrix:begin fuzz -->\nold findings\n<!-- matrix:end fuzz -->\n';

describe('matrix --fuzz', () => {
  it('renders one row per fixture: found, none, not fuzzed, or an error', () => {
    const section = renderFuzzSection(
      [
        { fixture: 'a', skipped: null, runs: 15, found: { words: 'fd 0 closed', failing: ['stdout-target'], checkReplay: "daemonspec check --caller-stdio 0=closed -- a 'x y'" } },
        { fixture: 'b', skipped: null, runs: 15, found: null },
        { fixture: 'c', skipped: 'it needs a set-up before each check', runs: 0, found: null },
        { fixture: 'd', skipped: null, runs: 0, found: null, error: 'boom' },
      ],
      { runs: 15, seed: 1 },
    );
    expect(section).toContain("| a | fd 0 closed | stdout-target | `daemonspec check --caller-stdio 0=closed -- a 'x y'` |");
    expect(section).toContain('| b | none in 15 runs | | |');
    expect(section).toContain('| c | not fuzzed: it needs a set-up before each check | | |');
    expect(section).toContain('| d | the fuzz could not run: boom | | |');
    expect(section).toContain('`daemonspec matrix --fuzz 15 --fuzz-seed 1 --fuzz-markdown docs/conformance.md`');
  });

  it('replaces only its own section of the document, and says which fixtures it did not fuzz', () => {
    const doc = join(testDir('ds-fuzz-peers-'), 'conformance.md');
    writeFileSync(doc, OLD);
    const r = runCliSync(['matrix', '--fixtures', 'setsid-fork,daemonize-user,nginx', '--fuzz', '3', '--jobs', '2', '--fuzz-markdown', doc], process.env, 300_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('daemonize-user: not fuzzed: it needs a set-up before each check');
    expect(r.stdout).not.toContain('nginx'); // a real daemon, not a daemonizer
    expect(r.stdout).toMatch(/^setsid-fork: (none in 3 runs|with .+)$/m);
    const sections = markdownSections(readFileSync(doc, 'utf8'));
    expect(sections.get('host')).toBe('old table');
    expect(sections.get('fuzz')).toContain('| daemonize-user | not fuzzed: it needs a set-up before each check, which a fuzz run does not do | | |');
    expect(sections.get('fuzz')).not.toContain('nginx');
    expect(sections.get('fuzz')).toMatch(/\| setsid-fork \| /);
    expect(readFileSync(doc, 'utf8')).not.toContain(process.cwd());
  });

  it('matrix --markdown keeps the fuzz section the document has', () => {
    const doc = join(testDir('ds-fuzz-keep-'), 'conformance.md');
    writeFileSync(doc, OLD);
    const r = runCliSync(['matrix', '--fixtures', 'setsid-fork', '--markdown', doc]);
    expect(r.code, r.stderr).not.toBeNull();
    const sections = markdownSections(readFileSync(doc, 'utf8'));
    expect(sections.get('fuzz')).toBe('old findings');
    expect(sections.get('host')).not.toBe('old table');
  });

  it.each([
    [['--fuzz-markdown', 'x.md'], '--fuzz-markdown needs --fuzz RUNS'],
    [['--fuzz', '2', '--json'], '--json does not go with --fuzz'],
    [['--fuzz', '2', '--isolation', 'namespace'], '--fuzz runs on the host only'],
  ])('refuses %j before anything starts (exit 2)', (args, message) => {
    const r = runCliSync(['matrix', ...args]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });
});
