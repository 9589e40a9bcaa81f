import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dir as tmpDir, type DirectoryResult } from 'tmp-promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

/*
 * matrix --shard I/N and merge, end to end: real shards of three fixtures, run by the CLI, joined
 * by the CLI into the same document an unsharded run writes; bad inputs refused in one line;
 * on GitHub Actions, annotations and a step summary.
 */

const FIXTURES = 'cli-run,daemonize,setsid-fork';
let tmp: DirectoryResult;
const at = (name: string): string => join(tmp.path, name);

// Not on GitHub's terms unless a test says so, even in GitHub's CI: no writes to the job's summary.
const OFF_GITHUB = { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' };

async function runOk(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const result = await runCli(args, { ...OFF_GITHUB, ...env }, 60_000);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  tmp = await tmpDir({ unsafeCleanup: true, prefix: 'ds-merge-' });
  const base = ['matrix', '--fixtures', FIXTURES, '--jobs', '1'];
  writeFileSync(at('shard-1.json'), await runOk([...base, '--shard', '1/2', '--json']));
  writeFileSync(at('shard-2.json'), await runOk([...base, '--shard', '2/2', '--json']));
  await runOk([...base, '--markdown', at('whole.md')]);
}, 120_000);

afterAll(async () => {
  await tmp?.cleanup();
});

function shard(n: number): Record<string, unknown> & { os: string; rows: { fixture: string }[]; fixtures: { manifest: { name: string; deviations: { rule: string }[] } }[] } {
  return JSON.parse(readFileSync(at(`shard-${n}.json`), 'utf8')) as ReturnType<typeof shard>;
}

describe('merge', () => {
  it('joins the shards into the document an unsharded run writes; JUnit and HTML of every check', async () => {
    expect(shard(1).rows.map((r) => r.fixture)).toEqual(['cli-run', 'setsid-fork']);
    expect(shard(2).rows.map((r) => r.fixture)).toEqual(['daemonize']);
    await runOk(['merge', '--markdown', at('merged.md'), '--junit', at('out/merged.xml'), '--html', at('merged.html'), at('shard-2.json'), at('shard-1.json')]);
    expect(readFileSync(at('merged.md'), 'utf8')).toBe(readFileSync(at('whole.md'), 'utf8'));
    const junit = readFileSync(at('out/merged.xml'), 'utf8');
    expect(junit.match(/classname="daemonspec\.matrix\.linux\.host"/g)).toHaveLength(3);
    expect(junit).toContain('<testsuite name="matrix linux host" tests="3" failures="0" errors="0" skipped="0">');
    const html = readFileSync(at('merged.html'), 'utf8');
    expect(html.match(/<section class="check"/g)).toHaveLength(3);
  });

  it('keeps OSes apart and names a missing shard (exit 1)', async () => {
    writeFileSync(at('mac-2.json'), JSON.stringify({ ...shard(2), os: 'darwin' }));
    const result = await runCli(['merge', '--junit', at('two.xml'), '--markdown', at('two.md'), at('shard-1.json'), at('mac-2.json')], OFF_GITHUB);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('daemonspec: merge: linux shard 2/2 is missing: its report was not given\ndaemonspec: merge: darwin shard 1/2 is missing: its report was not given\n');
    const junit = readFileSync(at('two.xml'), 'utf8');
    expect(junit).toContain('classname="daemonspec.matrix.darwin.host" name="darwin host daemonize"');
    expect(junit).toContain('classname="daemonspec.matrix.linux.host" name="linux host setsid-fork"');
    const md = readFileSync(at('two.md'), 'utf8');
    expect(md).toMatch(/^# Conformance matrix \(linux\)$/m);
    expect(md).toMatch(/^# Conformance matrix \(darwin\)$/m);
  });

  it('refuses inputs that are not matrix reports, in one line, exit 2, writing nothing', async () => {
    writeFileSync(at('not-json.json'), '{"kind": "matrix",');
    const bad = shard(1) as Record<string, unknown> & { rows: Record<string, unknown>[] };
    bad.rows[0]!.isolation = 'vm';
    writeFileSync(at('bad-row.json'), JSON.stringify(bad));
    const check = (shard(1).rows[0] as unknown as { report: unknown }).report;
    writeFileSync(at('check.json'), JSON.stringify(check));
    const cases: [string[], RegExp][] = [
      [[at('not-json.json')], /^daemonspec: merge: \S+not-json\.json is not JSON \(.+\): give the output of `daemonspec matrix --json`\n$/],
      [[at('bad-row.json')], /^daemonspec: merge: \S+bad-row\.json does not match schema\/matrix-report\.schema\.json: \/rows\/0\/isolation must be one of "host", "namespace", "docker", "docker-init", not "vm"\n$/],
      [[at('check.json')], /^daemonspec: merge: \S+check\.json is a check report; merge joins matrix reports: give the output of `daemonspec matrix --json`\n$/],
      [[at('shard-1.json'), at('shard-1.json')], /^daemonspec: merge: \S+shard-1\.json and shard-1\.json both hold linux host cli-run: give each shard once\n$/],
      [[at('missing.json')], /^daemonspec: merge: \S+missing\.json cannot be read \(ENOENT\): give the file `matrix --json` wrote\n$/],
    ];
    for (const [inputs, message] of cases) {
      const result = await runCli(['merge', '--markdown', at('refused.md'), ...inputs], OFF_GITHUB);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
      expect(existsSync(at('refused.md'))).toBe(false);
    }
    const none = await runCli(['merge'], OFF_GITHUB);
    expect(none.code).toBe(2);
  });

  it('on GitHub Actions: an ::error per row not as declared, and a step summary; elsewhere neither', async () => {
    // The manifest as if it no longer declared setsid-fork's umask deviation: its failure is now a surprise.
    const surprise = shard(1);
    const fixture = surprise.fixtures.find((f) => f.manifest.name === 'setsid-fork')!;
    fixture.manifest.deviations = fixture.manifest.deviations.filter((d) => d.rule !== 'umask');
    writeFileSync(at('surprise.json'), JSON.stringify(surprise));
    const summary = at('summary.md');
    writeFileSync(summary, '# earlier step\n');
    const inputs = [at('surprise.json'), at('shard-2.json')];
    const result = await runCli(['merge', ...inputs], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(result.code).toBe(1);
    const errors = result.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error title=daemonspec matrix%3A linux host setsid-fork::umask: failed, not a declared deviation: umask 0\d{3} is the caller's/);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n## daemonspec conformance matrix\n')).toBe(true);
    expect(text).toContain('| linux | host | 3 | 2 | 1 | 0 |');
    expect(text).toMatch(/- \*\*linux host setsid-fork\*\*: umask: failed, not a declared deviation/);

    writeFileSync(summary, '');
    const quiet = await runCli(['merge', ...inputs], { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: summary });
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).not.toContain('::error');
    expect(readFileSync(summary, 'utf8')).toBe('');
  });
});
