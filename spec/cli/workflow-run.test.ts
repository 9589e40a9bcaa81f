import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/check/fixtures.js';
import { fillPlaceholders, placeholderValues } from '../../src/matrix/placeholders.js';
import { missingRequirement } from '../../src/matrix/requirements.js';
import { testDir } from '../support/temp-dir.js';

/*
 * The conformance-matrix jobs of .github/workflows/ci.yml, run here as far as Linux allows
 * (issue 15.3): the `matrix shard` step of every shard of job `matrix`, the artifact hand-off as
 * upload-artifact and download-artifact declare it, and the `merge` step of job `matrix-merge`,
 * each script taken from the workflow itself and run by bash as the runner runs it. A mistake
 * in those scripts, or in how the jobs hand files to each other, fails here and not first on GitHub.
 * spec/cli/ci-recipe.test.ts checks the same file's text; this runs it.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// What a job's checkout needs to run `node bin/daemonspec.js`: the CLI finds its fixtures and
// schema from dist/'s real path (the checkout), so nothing is written into the repository.
const CHECKOUT = ['bin', 'dist', 'fixtures', 'schema', 'package.json', 'node_modules'];
// The only change made to a script: the matrix command line gets `--fixtures` with these, so
// that a shard runs in seconds (the full matrix is the docker job's and spec/matrix/'s business).
const FIXTURES = ['cli-run', 'nohup', 'setsid-fork'];
const ci = Boolean(process.env.CI);

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  strategy?: { matrix?: Record<string, unknown[]> };
  steps: Step[];
}
interface Workflow {
  jobs: Record<string, Job>;
}

const workflow = parse(readFileSync(join(ROOT, '.github/workflows/ci.yml'), 'utf8')) as Workflow;

function job(name: string): Job {
  const found = workflow.jobs[name];
  if (!found) throw new Error(`ci.yml has no job ${name}`);
  return found;
}

function step(jobName: string, find: (s: Step) => boolean, what: string): Step {
  const found = job(jobName).steps.filter(find);
  if (found.length !== 1) throw new Error(`ci.yml job ${jobName}: expected one step ${what}, found ${found.length}`);
  return found[0]!;
}

const named = (jobName: string, name: string): Step => step(jobName, (s) => s.name === name, `named "${name}"`);
const using = (jobName: string, action: string): Step => step(jobName, (s) => s.uses?.startsWith(`${action}@`) === true, `using ${action}`);

/** Expressions replaced as the runner would for one shard job; any other `${{ ... }}` fails the test. */
function substitute(text: string, values: { shard: number; os: 'Linux' | 'macOS' }): string {
  const known: Record<string, string> = { 'matrix.shard': String(values.shard), 'runner.os': values.os };
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (expression: string, name: string) => {
    const value = known[name];
    if (value === undefined) throw new Error(`${expression} in a step this test runs: teach the test what the runner puts there`);
    return value;
  });
}

interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a step's script as the runner's default shell for `run:` does (bash -e -o pipefail), in `cwd`. */
function runStep(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<StepResult> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', script],
      { cwd, env: { ...process.env, ...env }, timeout: 60_000, killSignal: 'SIGKILL', encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
    );
  });
}

/** A job's fresh workspace: the checkout's runtime files as symlinks, nothing else. */
function workspace(parent: string, name: string): string {
  const dir = join(parent, name);
  mkdirSync(dir);
  for (const entry of CHECKOUT) symlinkSync(join(ROOT, entry), join(dir, entry));
  return dir;
}

/** GitHub's environment for a step: on Actions, in CI, with a summary file of its own. */
function githubEnv(dir: string, summary: string): NodeJS.ProcessEnv {
  return { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: dir, RUNNER_OS: 'Linux', GITHUB_STEP_SUMMARY: summary };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

const shardList = (job('matrix').strategy?.matrix?.shard ?? []) as number[];
const shardScript = named('matrix', 'matrix shard').run ?? '';
const upload = using('matrix', 'actions/upload-artifact');
const download = using('matrix-merge', 'actions/download-artifact');
const mergeStep = named('matrix-merge', 'merge');

/** The shard step's script for one shard on Linux, with the one allowed change: `--fixtures`. */
function shardStep(shard: number): string {
  const script = substitute(shardScript, { shard, os: 'Linux' });
  const lines = script.split('\n');
  const at = lines.findIndex((l) => /node bin\/daemonspec\.js matrix /.test(l));
  expect(at, 'a `node bin/daemonspec.js matrix` line in the shard step').toBeGreaterThanOrEqual(0);
  expect(lines[at], 'the matrix command goes on over one line: --fixtures is appended to it').not.toMatch(/\\$/);
  // Before the redirection, so the option reaches the matrix command and not the shell.
  lines[at] = lines[at]!.replace(/ matrix /, ` matrix --fixtures ${FIXTURES.join(',')} `);
  return lines.join('\n');
}

/** Why the chosen fixtures cannot all run here, or null. */
function missingTools(): string | null {
  for (const name of FIXTURES) {
    const values = placeholderValues('host', name, '/nonexistent');
    const why = missingRequirement(loadManifest(join(ROOT, 'fixtures', name)), (s) => fillPlaceholders(s, values));
    if (why) return `fixture ${name}: ${why}`;
  }
  return null;
}

/** Skips the test with the reason when a fixture's tool is missing; in CI, where every tool is installed, fails instead. */
function requireFixtureTools(context: { skip: (note?: string) => void }): void {
  const missing = missingTools();
  if (missing === null) return;
  // Skipping is honest locally; in CI every tool is installed by scripts/install-debian-deps.sh.
  if (ci) throw new Error(`cannot run the shard steps in CI: ${missing}`);
  context.skip(missing);
}

/**
 * Every shard job of the Linux leg, each in its own workspace, then the hand-off: each job's
 * upload of `shards/`, the merge job's download of the artifacts matching the pattern. Returns
 * the merge job's workspace, its `shards/` filled as download-artifact would fill it.
 */
async function shardJobs(parent: string): Promise<{ merge: string; files: Map<string, string> }> {
  const artifacts = new Map<string, { root: string; files: string[] }>();
  for (const shard of shardList) {
    const dir = workspace(parent, `shard-${shard}`);
    const result = await runStep(shardStep(shard), dir, githubEnv(dir, join(parent, `summary-shard-${shard}.md`)));
    // Exit 0: every tool is as its manifest declares (a surprise would be exit 1, still uploaded).
    expect(result.code, `shard ${shard}/${shardList.length}: ${result.stderr}`).toBe(0);
    const root = join(dir, String(upload.with?.path ?? ''));
    const files = existsSync(root) ? filesUnder(root) : [];
    // if-no-files-found: error
    expect(files, `shard ${shard}: nothing under ${String(upload.with?.path)} to upload`).not.toHaveLength(0);
    for (const file of files.filter((f) => f.endsWith('.json'))) {
      // The shard's stdout is its report: an annotation or a progress line in it would break the merge.
      expect(() => JSON.parse(readFileSync(join(root, file), 'utf8')) as unknown, `shard ${shard}: ${file} is not JSON`).not.toThrow();
    }
    artifacts.set(substitute(String(upload.with?.name), { shard, os: 'Linux' }), { root, files });
  }

  const merge = workspace(parent, 'merge');
  const pattern = String(download.with?.pattern);
  expect(pattern, 'only * is emulated in the download pattern').toMatch(/^[^?[\]{}!]*$/);
  const matches = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  const into = join(merge, String(download.with?.path));
  const origin = new Map<string, string>();
  for (const [name, artifact] of artifacts) {
    expect(name, `artifact ${name} is not downloaded by pattern ${pattern}`).toMatch(matches);
    // merge-multiple: true puts every artifact's files in one directory; otherwise one directory per artifact.
    const target = download.with?.['merge-multiple'] === true ? into : join(into, name);
    for (const file of artifact.files) {
      const to = join(target, file);
      const rel = relative(into, to);
      expect(origin.get(rel), `${rel} is written by ${origin.get(rel)} and ${name}: merge-multiple keeps only one`).toBeUndefined();
      origin.set(rel, name);
      mkdirSync(join(to, '..'), { recursive: true });
      copyFileSync(join(artifact.root, file), to);
    }
  }
  return { merge, files: origin };
}

function runMerge(merge: string, summary: string): Promise<StepResult> {
  writeFileSync(summary, '');
  return runStep(substitute(mergeStep.run ?? '', { shard: 0, os: 'Linux' }), merge, githubEnv(merge, summary));
}

describe.runIf(process.platform === 'linux')('ci.yml: the sharded matrix jobs, run here (Linux only: the shard step runs the Linux fixtures)', () => {
  it('declares what the run below relies on: shards 1..N, uploads and a merge that run whatever the shards did', () => {
    expect(shardList.length).toBeGreaterThan(1);
    expect(shardList).toEqual(shardList.map((_, i) => i + 1));
    expect(job('matrix').strategy?.matrix?.os).toEqual(['ubuntu-latest', 'macos-latest']);
    // A shard whose tool is not as declared exits 1 after writing its report: the upload still runs.
    expect(upload.if).toBe('always()');
    expect(upload.with?.['if-no-files-found']).toBe('error');
    // ...and the merge job runs after a failed shard, to name what is missing.
    expect(job('matrix-merge').needs).toBe('matrix');
    expect(job('matrix-merge').if).toBe('always()');
    // Artifact names are unique per run (upload-artifact@v4 refuses a second one) across both OSes,
    // and the macOS leg's scripts differ from the Linux leg's, so its files do not overwrite them
    // under merge-multiple (only the Linux leg is run below).
    const names = ['Linux', 'macOS'].flatMap((os) => shardList.map((shard) => substitute(String(upload.with?.name), { shard, os: os as 'Linux' | 'macOS' })));
    expect(new Set(names).size).toBe(names.length);
    for (const shard of shardList) expect(substitute(shardScript, { shard, os: 'macOS' })).not.toBe(substitute(shardScript, { shard, os: 'Linux' }));
  });

  it('runs each shard step, hands the artifacts over, and merges them into markdown, JUnit, HTML and a step summary', async (context) => {
    requireFixtureTools(context);
    const parent = testDir('ds-workflow-');
    const { merge, files } = await shardJobs(parent);
    expect([...files.values()].sort()).toEqual(shardList.map((s) => substitute(String(upload.with?.name), { shard: s, os: 'Linux' })).sort());

    const summary = join(parent, 'summary-merge.md');
    const result = await runMerge(merge, summary);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/missing/);
    expect(result.stdout).not.toContain('::error');

    const reports = join(merge, 'reports');
    for (const file of ['conformance.md', 'matrix-junit.xml', 'matrix.html']) expect(existsSync(join(reports, file)), `reports/${file}`).toBe(true);

    const junit = join(reports, 'matrix-junit.xml');
    if (existsSync('/usr/bin/xmllint')) {
      const lint = spawnSync('/usr/bin/xmllint', ['--noout', junit], { encoding: 'utf8' });
      expect(lint.status, lint.stderr).toBe(0);
    }
    const xml = readFileSync(junit, 'utf8');
    for (const name of FIXTURES) expect(xml).toContain(`classname="daemonspec.matrix.linux.host" name="linux host ${name}"`);
    expect(readFileSync(join(reports, 'matrix.html'), 'utf8').match(/<section class="check"/g)).toHaveLength(FIXTURES.length);

    // Every fixture in exactly one row of the merged results table: none lost, none doubled.
    const markdown = readFileSync(join(reports, 'conformance.md'), 'utf8');
    const table = /<!-- matrix:begin host -->\n([\s\S]*?)<!-- matrix:end host -->/.exec(markdown)?.[1] ?? '';
    const rows = table.split('\n').filter((l) => l.startsWith('| ['));
    expect(rows.map((l) => /^\| \[([^\]]+)\]/.exec(l)?.[1]).sort()).toEqual([...FIXTURES].sort());

    // The summary counts every check of every shard (it names tools only when they are not as declared).
    const text = readFileSync(summary, 'utf8');
    expect(text).toMatch(/^## daemonspec conformance matrix\n/);
    expect(text).toContain(`| linux | host | ${FIXTURES.length} | ${FIXTURES.length} | 0 | 0 |`);
    expect(text).not.toMatch(/Missing shards/);
  });

  it('a shard job that left no report: the merge still runs, names the missing shard and fails', async (context) => {
    requireFixtureTools(context);
    const parent = testDir('ds-workflow-');
    const { merge, files } = await shardJobs(parent);
    const lost = [...files.keys()].find((f) => f.endsWith('-2.json'));
    expect(lost, `shard 2's report among ${[...files.keys()].join(', ')}`).toBeDefined();
    rmSync(join(merge, 'shards', lost!));

    const summary = join(parent, 'summary-merge.md');
    const result = await runMerge(merge, summary);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`daemonspec: merge: linux shard 2/${shardList.length} is missing: its report was not given\n`);
    expect(readFileSync(summary, 'utf8')).toContain(`**Missing shards:** linux shard 2/${shardList.length}.`);
  });
});
