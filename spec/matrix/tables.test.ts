import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { manifestCheck, readManifest } from '../../src/check/fixtures.js';
import { LIFECYCLE_RULE_IDS, START_RULE_IDS, USER_RULE_IDS, type CheckReport, type RuleResult } from '../../src/check/report-types.js';
import { buildTables } from '../../src/matrix/cells.js';
import { compareDeviations, conformanceProblems, conforms } from '../../src/matrix/judge.js';
import type { MatrixRow } from '../../src/matrix/job.js';
import type { LoadedFixture } from '../../src/check/fixtures.js';
import { keptSections, markdownSections, renderMarkdown } from '../../src/matrix/markdown.js';
import { fixturePages } from '../../src/matrix/pages.js';
import { isolationExcluded, runSetup } from '../../src/matrix/setup.js';
import type { IsolationName } from '../../src/isolation/types.js';
import { fillPlaceholders, placeholderValues } from '../../src/matrix/placeholders.js';
import { scrubActual } from '../../src/matrix/scrub.js';

function report(failing: Record<string, unknown>, pid = 4242): CheckReport {
  const results: RuleResult[] = START_RULE_IDS.map((rule) => ({
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
    schemaVersion: 2, verdict: 'fail', command: ['x'], profile: 'sysv', isolation: 'host', seed: 'matrix', strict: false,
    caller: { seed: 'matrix', blockedSignals: [26], ignoredSignals: [27], umask: 0o035, cwd: '/tmp/c', cwdOrigin: 'user', fds: [] }, noDaemon: null,
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
    expect(compareDeviations(row, fixture.manifest)).toEqual({ undeclared: ['cwd'], unobserved: [], daemonMismatch: null, unnoted: [], unobservedNotes: [] });
    expect(compareDeviations({ ...row, isolation: 'docker' }, fixture.manifest)).toMatchObject({ undeclared: ['cwd'], unobserved: ['pidfile'], daemonMismatch: null });
  });

  it('a row whose check left a process running keeps its verdicts but does not conform, and says what to kill', () => {
    const clean: MatrixRow = { fixture: 'tool', isolation: 'host', report: report({ umask: 0 }) };
    expect(conforms(clean, fixture.manifest)).toBe(true);
    const left: MatrixRow = { ...clean, report: { ...clean.report!, cleanup: { stopped: [], leftRunning: [4242, 4243] } } };
    expect(conforms(left, fixture.manifest)).toBe(false);
    expect(conformanceProblems(left, fixture.manifest)).toEqual(['the check could not stop pids 4242, 4243: stop them by hand (kill -KILL 4242 4243)']);
    // In a container the pids are the container's, and its processes ended with it: nothing to kill on the host.
    const inContainer: MatrixRow = { ...left, isolation: 'docker', report: { ...left.report!, isolation: 'docker' } };
    expect(conformanceProblems(inContainer, fixture.manifest).filter((line) => line.includes('could not stop'))).toEqual([]);
  });

  it('renders ✓ ✗ – with a note on each ✗, the same bytes for runs that differ only in pids', () => {
    const render = (pid: number): string =>
      renderMarkdown({
        os: 'linux', shard: null, isolations: ['host'], seed: 'matrix', fixtures: [fixture], durationMs: pid,
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
    const r = report({});
    const notJudged = r.results.map((x) =>
      x.rule === 'launcher-exit' || x.rule === 'ready-before-exit' ? x : { ...x, status: 'skip' as const, message: 'not judged: nothing is running' },
    );
    const none = { ...r, results: notJudged, noDaemon: { reason: 'the command exited with status 0; nothing is running', lastLines: [] } };
    return { fixture: 'tool', isolation: 'host', report: daemonFound ? { ...r, daemon: {} as CheckReport['daemon'] } : none };
  };

  it('takes the rules not judged for want of a daemon as that one declared fact', () => {
    expect(compareDeviations(row(false), noDaemon)).toMatchObject({ undeclared: [], unobserved: [], daemonMismatch: null });
    const [table] = buildTables(['host'], [{ ...fixture, manifest: noDaemon }], [row(false)]);
    expect(table!.rows[0]!.notes).toEqual([expect.stringContaining('startsDaemon: false')]);
  });

  it('fails when a daemon is found after all, or none where one is expected', () => {
    expect(compareDeviations(row(true), noDaemon).daemonMismatch).toMatch(/startsDaemon: false/);
    expect(compareDeviations(row(false), fixture.manifest).daemonMismatch).toBe('no daemon found: the command exited with status 0; nothing is running');
  });
});

describe('notes: state a tool chooses itself', () => {
  const chosen = (attribution: 'chosen' | 'inherited'): MatrixRow => {
    const r = report({});
    const results = r.results.map((x) =>
      x.rule === 'signal-dispositions-default' ? { ...x, findings: [{ what: 'SIGPIPE ignored', attribution }] } : x,
    );
    return { fixture: 'tool', isolation: 'host', report: { ...r, daemon: {} as CheckReport['daemon'], results }, work: '/tmp/w' };
  };
  const noted = { ...fixture.manifest, deviations: [], notes: [{ rule: 'signal-dispositions-default' as const, reason: 'a server ignores SIGPIPE' }] };

  it('a chosen finding must be declared as a note, and a declared note must be observed', () => {
    expect(compareDeviations(chosen('chosen'), { ...fixture.manifest, deviations: [] })).toMatchObject({ unnoted: ['signal-dispositions-default'], unobservedNotes: [] });
    expect(compareDeviations(chosen('chosen'), noted)).toMatchObject({ unnoted: [], unobservedNotes: [] });
    expect(compareDeviations(chosen('inherited'), noted)).toMatchObject({ unnoted: [], unobservedNotes: ['signal-dispositions-default'] });
  });

  it('the table shows a declared note on its passing cell, with the reason', () => {
    const [table] = buildTables(['host'], [{ ...fixture, manifest: noted }], [chosen('chosen')]);
    const column = START_RULE_IDS.indexOf('signal-dispositions-default');
    expect(table!.rows[0]!.cells[column]).toBe('✓ a');
    expect(table!.rows[0]!.notes[0]).toBe('`signal-dispositions-default`: chosen by the program, not a failure: SIGPIPE ignored; a server ignores SIGPIPE');
  });
});

describe('real daemons: a second table, races, notes on a failing rule', () => {
  const real: LoadedFixture = {
    dir: '/x/fixtures/srv',
    manifest: {
      name: 'srv', title: 'A server', tool: 'srv 1.0', kind: 'real-daemon', command: ['/usr/sbin/srv'], check: { profile: 'sysv' },
      setup: ['/usr/bin/perl', '{dir}/setup.pl', '{work}'],
      requires: { isolations: ['host', 'namespace'] },
      deviations: [{ rule: 'signal-dispositions-default', reason: 'the caller’s ignored signal stays' }],
      notes: [{ rule: 'signal-dispositions-default', reason: 'ignores SIGPIPE itself' }],
      races: [{ rule: 'ready-before-exit', reason: 'writes its pidfile after the parent exits' }],
    },
  };
  const row = (ready: boolean): MatrixRow => {
    const r = report({ 'signal-dispositions-default': ['SIGPIPE', 'SIGSTKFLT'], ...(ready ? {} : { 'ready-before-exit': false }) });
    const results = r.results.map((x) =>
      x.rule === 'signal-dispositions-default'
        ? { ...x, findings: [{ what: 'SIGSTKFLT ignored', attribution: 'inherited' as const }, { what: 'SIGPIPE ignored', attribution: 'chosen' as const }] }
        : x,
    );
    return { fixture: 'srv', isolation: 'host', report: { ...r, daemon: {} as CheckReport['daemon'], results }, work: '/tmp/w' };
  };

  it('a declared race is expected either way, and its cell is the same whichever way the run went', () => {
    for (const ready of [true, false]) {
      expect(compareDeviations(row(ready), real.manifest)).toEqual({ undeclared: [], unobserved: [], daemonMismatch: null, unnoted: [], unobservedNotes: [] });
    }
    const cells = (ready: boolean): string[] => buildTables(['host'], [real], [row(ready)])[0]!.rows[0]!.cells;
    expect(cells(true)).toEqual(cells(false));
    expect(cells(true)[START_RULE_IDS.indexOf('ready-before-exit')]).toBe('≈ a');
  });

  it('a note is observed on a rule that fails for an inherited reason, and both reasons are shown', () => {
    const [table] = buildTables(['host'], [real], [row(false)]);
    const note = table!.rows[0]!.notes.find((n) => n.startsWith('`signal-dispositions-default`'))!;
    expect(note).toContain('declared deviation: the caller’s ignored signal stays Besides, chosen by the program: ignores SIGPIPE itself');
  });

  it('renders the daemonizers and the real daemons in separate marked sections; a kept section is written back unchanged', () => {
    const result = {
      os: 'linux', shard: null, isolations: ['host'] as IsolationName[], seed: 'matrix', fixtures: [fixture, real], durationMs: 1,
      rows: [{ fixture: 'tool', isolation: 'host' as const, report: report({ umask: 0 }), work: '/tmp/w' }, row(true)],
    };
    const sections = markdownSections(renderMarkdown(result, new Map([['docker', 'old docker table'], ['real-docker', 'never shown']])));
    expect(sections.get('host')).toContain('[tool](#fixture-tool)');
    expect(sections.get('host')).not.toContain('srv');
    expect(sections.get('real-host')).toContain('| [srv](#fixture-srv) |');
    expect(sections.get('docker')).toBe('old docker table');
    expect(sections.get('real-docker')).toBe('never shown');
    expect(sections.get('fixtures')).not.toContain('fixture-srv');
    expect(sections.get('real-fixtures')).toContain('Set-up before each check');
    expect(sections.get('real-fixtures')).toContain('- `ready-before-exit`: writes its pidfile after the parent exits');
    expect(keptSections(renderMarkdown(result), ['namespace'])).toEqual(new Map([['host', sections.get('host')], ['real-host', sections.get('real-host')]]));
  });

  it('a fixture outside its isolations is skipped with the reason', () => {
    expect(isolationExcluded(real.manifest, 'docker')).toBe('runs under host, namespace only');
    expect(isolationExcluded(real.manifest, 'namespace')).toBeNull();
  });

  it('the setup runs before the check and a failing setup is an error naming it', () => {
    expect(() => runSetup({ ...real.manifest, setup: ['/bin/sh', '-c', 'echo no port >&2; exit 3'] }, { dir: '/x', work: '/tmp' })).toThrow(
      /fixture srv: its setup `\/bin\/sh -c echo no port >&2; exit 3` failed \(exit 3\)/,
    );
  });
});

describe('manifest fields of the real daemons', () => {
  const write = (value: unknown): string => {
    const dir = mkdtempSync(join(tmpdir(), 'ds-manifest-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(value));
    return join(dir, 'manifest.json');
  };
  const base = { name: 'srv', title: 'A server', tool: 'srv', command: ['/usr/sbin/srv'], check: {}, deviations: [] };

  it('accepts kind, setup and races, and refuses them malformed with the fix', () => {
    expect(readManifest(write({ ...base, kind: 'real-daemon', setup: ['/usr/bin/perl', 'x'], races: [{ rule: 'ready-before-exit', reason: 'r' }] })).kind).toBe('real-daemon');
    expect(() => readManifest(write({ ...base, kind: 'server' }))).toThrow(/kind must be one of daemonizer, real-daemon/);
    expect(() => readManifest(write({ ...base, setup: [] }))).toThrow(/setup must be a non-empty array of strings/);
    expect(() => readManifest(write({ ...base, races: [{ rule: 'nope', reason: 'r' }] }))).toThrow(/unknown rule "nope" in races/);
    expect(() =>
      readManifest(write({ ...base, deviations: [{ rule: 'umask', reason: 'a' }], races: [{ rule: 'umask', reason: 'b' }] })),
    ).toThrow(/rule umask is both a deviation and a race/);
  });
});

describe('the life-cycle rules in the matrix (issue 12.4)', () => {
  /** A report whose start rules pass and whose life-cycle rules have the given statuses. */
  function withLifecycle(statuses: Partial<Record<(typeof LIFECYCLE_RULE_IDS)[number], 'pass' | 'fail' | 'skip'>>): CheckReport {
    const base = report({});
    const later: RuleResult[] = LIFECYCLE_RULE_IDS.map((rule) => ({
      rule, title: rule, status: statuses[rule] ?? 'pass', expected: null, actual: null, message: `${rule} message`, fix: '', reference: '',
    }));
    return { ...base, results: [...base.results, ...later] };
  }
  const lifecycle: LoadedFixture = {
    ...fixture,
    manifest: { ...fixture.manifest, check: { ...fixture.manifest.check, pidfile: '{pidfile}', lifecycle: true }, deviations: [{ rule: 'pidfile-removed', reason: 'never removes it' }] },
  };

  it('judges them only for a fixture that asks for them, against its deviations', () => {
    const row: MatrixRow = { fixture: 'tool', isolation: 'host', report: withLifecycle({ 'pidfile-removed': 'fail', 'second-start-refused': 'fail' }) };
    expect(compareDeviations(row, lifecycle.manifest)).toMatchObject({ undeclared: ['second-start-refused'], unobserved: [] });
    const plain = { ...fixture.manifest, deviations: [] };
    expect(compareDeviations(row, plain)).toMatchObject({ undeclared: [], unobserved: [] });
  });

  it('draws them in their own table, with – for the credential rules not asked for', () => {
    const row: MatrixRow = { fixture: 'tool', isolation: 'host', report: withLifecycle({ 'pidfile-removed': 'fail' }) };
    const [table] = buildTables(['host'], [lifecycle], [row], [...LIFECYCLE_RULE_IDS, ...USER_RULE_IDS]);
    expect(table!.rows[0]!.cells).toEqual(['✓', '✓', '✗ a', '✓', '✓', '–', '–']);
    const markdown = renderMarkdown({ os: 'linux', isolations: ['host'], shard: null, seed: 'matrix', fixtures: [lifecycle], rows: [row], durationMs: 1 });
    expect(markdownSections(markdown).get('lifecycle-host')).toContain('| tool | second-start-refused | stops-on-sigterm | pidfile-removed |');
  });

  it('reads lifecycle, stopCommand and user from a manifest, and refuses them malformed with the fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ds-manifest-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const write = (check: unknown): string => {
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ name: 't', title: 't', tool: 't', command: ['/bin/t'], check, deviations: [] }));
      return join(dir, 'manifest.json');
    };
    const ok = readManifest(write({ pidfile: '{pidfile}', lifecycle: true, stopCommand: '/bin/t --stop {pidfile}', user: 'nobody' }));
    const { options } = manifestCheck(ok, { dir: '/f', work: '/w' });
    expect(options).toMatchObject({ lifecycle: true, stopCommand: '/bin/t --stop /w/daemon.pid', user: 'nobody' });
    expect(() => readManifest(write({ lifecycle: true }))).toThrow(/check.lifecycle needs check.pidfile/);
    expect(() => readManifest(write({ pidfile: '{pidfile}', lifecycle: 'yes' }))).toThrow(/check.lifecycle must be true or false/);
    expect(() => readManifest(write({ stopCommand: '' }))).toThrow(/check.stopCommand must be a non-empty string/);
  });
});

describe('the fixture pages', () => {
  it('show a command as typed in a shell: an argument with spaces or quotes is quoted, placeholders are not', () => {
    const quoted: LoadedFixture = { ...fixture, manifest: { ...fixture.manifest, command: ['/bin/sh', '-c', 'nohup "$0" &', '{dir}/w.sh', "it's"] } };
    const page = fixturePages('## The fixtures', [quoted]);
    expect(page).toContain(`Command: \`/bin/sh -c 'nohup "$0" &' {dir}/w.sh 'it'\\''s'\``);
  });
});
