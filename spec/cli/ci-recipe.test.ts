import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/* The CI recipe users copy and the project's own workflow: a permissions block, current actions. */

const files = ['docs/ci-recipes.md', '.github/workflows/ci.yml'];

describe.each(files)('%s', (file) => {
  const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

  it('has a top-level permissions block with checks: write', () => {
    expect(text).toMatch(/^permissions:\n(?: {2}\S.*\n)*? {2}checks: write$/m);
  });

  it('uses no superseded major version of the actions', () => {
    expect(text).not.toMatch(/actions\/(checkout|setup-node)@v[1-4]\b/);
    expect(text).not.toMatch(/action-junit-report@v[1-4]\b/);
  });
});

/* The sharded matrix: the shard list and the N of --shard agree, and the merge job joins every shard. */
describe.each(files)('%s: the sharded conformance matrix', (file) => {
  const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

  it('runs `--shard ${{ matrix.shard }}/N` over a shard list 1..N on Linux and macOS', () => {
    const list = /^\s+shard: \[([\d, ]+)\]/m.exec(text);
    expect(list, 'a shard list in a job matrix').not.toBeNull();
    const shards = list![1]!.split(',').map((s) => Number(s.trim()));
    const n = Number(/--shard \$\{\{ matrix\.shard \}\}\/(\d+)/.exec(text)?.[1]);
    expect(shards).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(text).toMatch(/os: \[ubuntu-latest, macos-latest\]\n\s+shard:/);
  });

  it('merges every shard artifact into markdown, JUnit and HTML after all shards, whatever their outcome', () => {
    expect(text).toMatch(/needs: matrix\n\s+if: always\(\)/);
    expect(text).toMatch(/pattern: matrix-shard-\*\n\s+path: shards\n\s+merge-multiple: true/);
    expect(text).toMatch(/merge --markdown \S+ --junit \S+ \\\n\s+--html \S+ shards\/\*\.json/);
  });
});
