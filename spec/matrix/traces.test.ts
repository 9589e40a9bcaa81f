/**
 * The observed sequences of docs/conformance.md (`matrix --trace --trace-markdown`): a fresh
 * traced run of single-threaded fixtures makes the same milestones (fork, setsid, exec, umask,
 * chdir, in order, per process) as the committed section, and the section is replaced in place.
 * The whole text is not compared: the folded counts of rt_sigaction and close depend on the
 * shell and libc of the machine. Host checks run in child processes (no subreaper here).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { CLI } from '../cli/run-cli.js';
import { packageRoot } from '../../src/package-root.js';
import { markdownSections, replaceSection, renderMarkdown } from '../../src/matrix/markdown.js';
import { type MatrixResult, runMatrix } from '../../src/matrix/run.js';
import { traceAvailability } from '../../src/trace/strace.js';
import { skipUnlessCapable } from '../posix/support.js';

const FIXTURES = ['setsid-fork', 'start-stop-daemon', 'python-daemon', 'libslack-daemon'];
const available = traceAvailability();
const why = 'reason' in available ? `--trace cannot run here: ${available.reason}` : null;

/** Each fixture's block of the traces section. */
function blocks(section: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of section.matchAll(/### <a id="trace-([\w-]+)"><\/a>[\w-]+\n\n[^\n]*\n\n```\n([\s\S]*?)\n```/g)) out.set(m[1]!, m[2]!);
  return out;
}

/** The milestones of a block, per process label: what a tool does to daemonize, in order. */
function milestones(block: string): string[] {
  const steps = block.replace(/\n\s+/g, ' · ');
  return [...steps.matchAll(/^p\d+|(?:setsid\(\)(?: = p\d+)?|(?:clone3?|v?fork) → p\d+|execve\("[^"]*"\)|umask\(\d+\)|chdir\("[^"]*"\))/gm)].map((m) => m[0]);
}

describe('observed sequences', () => {
  it('replaceSection replaces a marked section in place, or appends it', () => {
    const doc = 'a\n<!-- matrix:begin traces -->\nold\n<!-- matrix:end traces -->\nb\n';
    expect(replaceSection(doc, 'traces', 'new $& text')).toBe('a\n<!-- matrix:begin traces -->\nnew $& text\n<!-- matrix:end traces -->\nb\n');
    expect(replaceSection('a\n', 'traces', 'x')).toBe('a\n\n<!-- matrix:begin traces -->\nx\n<!-- matrix:end traces -->\n');
  });

  it('matrix --markdown without --trace keeps the observed sequences the document has', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ds-traces-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const doc = join(dir, 'conformance.md');
    writeFileSync(doc, 'old\n<!-- matrix:begin traces -->\n## Observed sequences\nkept\n<!-- matrix:end traces -->\n');
    const r = spawnSync(process.execPath, [CLI, 'matrix', '--fixtures', 'setsid-fork', '--markdown', doc], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).not.toBeNull();
    const sections = markdownSections(readFileSync(doc, 'utf8'));
    expect(sections.get('traces')).toBe('## Observed sequences\nkept');
    expect(sections.has('host')).toBe(true);
  });

  describe('a fresh traced run', () => {
    let result: MatrixResult;
    beforeAll(async () => {
      if (why === null) result = await runMatrix({ fixtures: FIXTURES, trace: true, jobs: 2 });
    }, 120_000);

    it.for(FIXTURES)('%s makes the milestones docs/conformance.md shows', (name, context) => {
      skipUnlessCapable(context, why);
      const row = result.rows.find((r) => r.fixture === name)!;
      skipUnlessCapable(context, row.skipped ? `fixture ${name}: ${row.skipped}` : null);
      expect(row.error).toBeUndefined();
      const fresh = blocks(markdownSections(renderMarkdown(result)).get('traces')!).get(name)!;
      const committed = blocks(markdownSections(readFileSync(join(packageRoot(), 'docs/conformance.md'), 'utf8')).get('traces')!).get(name)!;
      expect(committed, `docs/conformance.md has no observed sequence for ${name}`).toBeDefined();
      expect(milestones(fresh)).toEqual(milestones(committed));
      expect(milestones(fresh).some((m) => m.startsWith('setsid()'))).toBe(true);
    });
  });
});
