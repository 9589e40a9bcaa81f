/**
 * The conformance matrix as a test: every fixture, under every isolation that runs here (in
 * CI: all of them), fails exactly the rules its manifest declares (the real daemons of the
 * second table included: a declared race may go either way; the life-cycle rules too, for the
 * fixtures that ask for them), and the committed
 * docs/conformance.md is what this run produces. Regenerate it with
 *   node bin/daemonspec.js matrix --isolation all --markdown docs/conformance.md
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import type { IsolationName } from '../../src/isolation/types.js';
import { compareDeviations } from '../../src/matrix/judge.js';
import { loadFixtures } from '../../src/check/fixtures.js';
import { markdownSections, renderMarkdown } from '../../src/matrix/markdown.js';
import { type MatrixResult, runMatrix } from '../../src/matrix/run.js';
import { isolationExcluded } from '../../src/matrix/setup.js';
import { isolationGate } from '../isolation/support.js';
import { skipUnlessCapable } from '../posix/support.js';


const DOC = join(packageRoot(), 'docs/conformance.md');
const REGENERATE = 'node bin/daemonspec.js matrix --isolation all --markdown docs/conformance.md';

const gates = await Promise.all((['host', 'namespace', 'docker', 'docker-init'] as const).map(isolationGate));
const isolations = gates.filter((g) => g.run).map((g) => g.label as IsolationName);
const skipped = gates.filter((g) => !g.run).map((g) => g.label);
const fixtures = loadFixtures(join(packageRoot(), 'fixtures'));

// Process-global state: none. runMatrix() runs every host check in a child `daemonspec check`
// process (hostInProcess is off), so, unlike spec/check, this worker never becomes a subreaper.
describe(`conformance matrix under ${isolations.join(', ')}${skipped.length ? `; not here: ${skipped.join('; ')}` : ''}`, () => {
  let result: MatrixResult;
  beforeAll(async () => {
    result = await runMatrix({ isolations, jobs: 2 });
  }, 600_000);

  describe.each(isolations)('%s', (isolation) => {
    // A fixture whose manifest excludes this isolation (requires.isolations) has no case here.
    const names = fixtures.filter((f) => isolationExcluded(f.manifest, isolation) === null).map((f) => f.manifest.name);
    it.for(names)('%s fails exactly its declared deviations', (name, context) => {
      const row = result.rows.find((r) => r.isolation === isolation && r.fixture === name)!;
      // A missing tool: the table says so; locally a skip with the reason, in CI a failure.
      skipUnlessCapable(context, row.skipped ? `fixture ${name} under ${isolation}: ${row.skipped}` : null);
      expect(row.error).toBeUndefined();
      const manifest = fixtures.find((f) => f.manifest.name === name)!.manifest;
      const messages = Object.fromEntries(
        row.report!.results.filter((r) => r.status === 'fail').map((r) => [r.rule, r.message]),
      );
      expect({ ...compareDeviations(row, manifest), messages }).toMatchObject({ undeclared: [], unobserved: [], daemonMismatch: null });
      // Nothing the check started is left behind (nginx's workers, tmux's and screen's shells included).
      expect(row.report!.cleanup.leftRunning, 'processes left running after the check').toEqual([]);
    });
  });

  it(`docs/conformance.md is what the fixtures produce (regenerate: ${REGENERATE})`, () => {
    expect(existsSync(DOC), `${DOC} is missing`).toBe(true);
    const committed = markdownSections(readFileSync(DOC, 'utf8'));
    const fresh = markdownSections(renderMarkdown(result));
    // The real daemons' tables exist for the isolations they run under (host, namespace).
    const ids = [
      ...isolations,
      ...isolations.flatMap((i) => [`real-${i}`, `lifecycle-${i}`]).filter((id) => fresh.has(id)),
      'fixtures',
      'real-fixtures',
    ];
    for (const id of ids) {
      expect(committed.get(id), `section ${id} of docs/conformance.md`).toBe(fresh.get(id));
    }
    // The committed document covers every isolation, not only those that ran here, the observed
    // sequences (`matrix --trace`, spec/matrix/traces.test.ts) and the fuzz findings (`matrix --fuzz`).
    expect([...committed.keys()].sort()).toEqual([
      'docker',
      'docker-init',
      'fixtures',
      'fuzz',
      'host',
      'lifecycle-docker',
      'lifecycle-docker-init',
      'lifecycle-host',
      'lifecycle-namespace',
      'namespace',
      'real-fixtures',
      'real-host',
      'real-namespace',
      'traces',
    ]);
  });
});
