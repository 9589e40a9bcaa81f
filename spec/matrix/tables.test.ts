import { describe, expect, it } from 'vitest';
import { RULE_IDS, type CheckReport, type RuleResult } from '../../src/check/report-types.js';
import { buildTables } from '../../src/matrix/cells.js';
import { compareDeviations } from '../../src/matrix/judge.js';
import type { MatrixRow } from '../../src/matrix/job.js';
import type { LoadedFixture } from '../../src/check/fixtures.js';
import { markdownSections, renderMarkdown } from '../../src/matrix/markdown.js';
import { fillPlaceholders, placeholderValues } from '../../src/matrix/placeholders.js';
import { scrubActual } from '../../src/matrix/scrub.js';

function report(failing: Record<string, unknown>, pid = 4242): CheckReport {
  const results: RuleResult[] = RULE_IDS.map((rule) => ({
    rule,
    title: rule,
    status: rule in failing ? 'fail' : rule === 'log-contents' ? 'skip' : 'pass',
    expected: null,
    actual: failing[rule] ?? null,
    message: `${rule} message pid=${pid}`,
    fix: '',
    reference: '',
  }));
  return {
    schemaVersion: 1, verdict: 'fail', command: ['x'], profile: 'sysv', isolation: 'host',
    launcher: { exitCode: 0, signal: null, readyAtExit: true, timedOut: false },
    daemon: null, candidates: [pid], results, cleanup: { stopped: [pid], leftRunning: [] },
    terminalOutput: '', notes: [], runs: 1, durationMs: 123,
  };
}

const fixture: LoadedFixture = {
  dir: '/x/fixtures/tool',
  manifest: {
    name: 'tool', title: 'A tool', tool: 'tool 1.0', command: ['{dir}/run', '{pidfile}'], check: { profile: 'sysv' },
    deviations: [
      { rule: 'umask', reason: 'sets umask 0' },
      { rule: 'pidfile', reason: 'only in containers', isolations: ['docker'] },
    ],
  },
};

describe('the matrix table', () => {
  it('fills placeholders with host paths, and with container paths for docker', () => {
    const host = placeholderValues('host', 'tool', '/tmp/w1');
    expect(fillPlaceholders('{dir}|{pidfile}|{stdout}|{stderr}|{node}|{x}|\\d{3}', host)).toBe(
      `${host.dir}|/tmp/w1/daemon.pid|/tmp/w1/out.log|/tmp/w1/err.log|${process.execPath}|{x}|\\d{3}`,
    );
    const docker = placeholderValues('docker-init', 'tool', '/tmp/w1');
    expect(fillPlaceholders('{dir} {pidfile} {cli}', docker)).toBe('/daemonspec/fixtures/tool /work/daemon.pid /daemonspec/bin/daemonspec.js');
  });

  it('scrubs pids, inodes and temporary paths from actual values', () => {
    const r = report({}, 31337);
    expect(scrubActual({ ppid: 31337, fd: 'pipe:[99812]', path: '/tmp/daemonspec-matrix-x/out.log' }, r, '/tmp/daemonspec-matrix-x')).toBe(
      '{"ppid":<pid>,"fd":"pipe:[…]","path":"{work}/out.log"}',
    );
  });

  it('compares failures with the deviations declared for the isolation', () => {
    const row: MatrixRow = { fixture: 'tool', isolation: 'host', report: report({ umask: 0, cwd: '/tmp' }) };
    expect(compareDeviations(row, fixture.manifest)).toEqual({ undeclared: ['cwd'], unobserved: [], daemonMismatch: null });
    expect(compareDeviations({ ...row, isolation: 'docker' }, fixture.manifest)).toEqual({ undeclared: ['cwd'], unobserved: ['pidfile'], daemonMismatch: null });
  });

  it('renders ✓ ✗ – with a note on each ✗, the same bytes for runs that differ only in pids', () => {
    const render = (pid: number): string =>
      renderMarkdown({
        isolations: ['host'], fixtures: [fixture], durationMs: pid,
        rows: [{ fixture: 'tool', isolation: 'host', report: report({ umask: 0, cwd: `/proc/${pid}` }, pid), work: '/tmp/w' }],
      });
    const a = render(1111);
    expect(a).toBe(render(2222));
    const host = markdownSections(a).get('host')!;
    expect(host).toContain('| [tool](#fixture-tool) | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✗ a | ✗ b |');
    expect(host).toContain('- **tool**\n  - a. `umask`: actual `0`; declared deviation: sets umask 0');
    expect(host).toContain('  - b. `cwd`: actual `/proc/<pid>`; **not a declared deviation**');
    expect(markdownSections(a).get('fixtures')).toContain('- `pidfile` (docker only): only in containers');
  });

  it('shows a skipped fixture with its reason and an error as ! with a note', () => {
    const [table] = buildTables(['host'], [fixture, { ...fixture, manifest: { ...fixture.manifest, name: 'other' } }], [
      { fixture: 'tool', isolation: 'host', skipped: '/usr/bin/x is not installed' },
      { fixture: 'other', isolation: 'host', error: 'no daemon' },
    ]);
    expect(table!.rows[0]).toMatchObject({ note: 'skipped: /usr/bin/x is not installed' });
    expect(table!.rows[1]!.cells[0]).toBe('! a');
    expect(table!.rows[1]!.notes[0]).toContain('no daemon');
  });
});

describe('a tool that leaves no daemon (startsDaemon: false)', () => {
  const noDaemon = { ...fixture.manifest, startsDaemon: false, deviations: [] };
  const row = (daemonFound: boolean): MatrixRow => {
    const r = report({ reparented: null, umask: null });
    return { fixture: 'tool', isolation: 'host', report: daemonFound ? { ...r, daemon: {} as CheckReport['daemon'] } : r };
  };

  it('counts the rules that fail for want of a daemon as that one declared fact', () => {
    expect(compareDeviations(row(false), noDaemon)).toEqual({ undeclared: [], unobserved: [], daemonMismatch: null });
    const [table] = buildTables(['host'], [{ ...fixture, manifest: noDaemon }], [row(false)]);
    expect(table!.rows[0]!.notes).toEqual([expect.stringContaining('startsDaemon: false')]);
  });

  it('fails when a daemon is found after all', () => {
    expect(compareDeviations(row(true), noDaemon).daemonMismatch).toMatch(/startsDaemon: false/);
  });
});
