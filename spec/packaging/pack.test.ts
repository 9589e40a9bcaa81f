import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dir as tmpDir, type DirectoryResult } from 'tmp-promise';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { isolationGate } from '../isolation/support.js';

/*
 * The packed tarball is what users get: pack it, install it into an empty project with npm
 * (the registry or this machine's npm cache provides koffi, tmp-promise, fast-check; commander is bundled into the CLI),
 * and use it the way the README says. One install per run; it is slow, hence the timeouts.
 * The tarball is made from dist/ as built by `npm test`'s pretest; it is not rebuilt here,
 * because rewriting dist/ would race with the other test files that import it.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const INSTALL_TIMEOUT = 240_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: readonly string[], cwd: string, timeout = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, [...args], { cwd, timeout, killSignal: 'SIGKILL', encoding: 'utf8', maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Fails with the list of stale outputs when src/ is newer than dist/ (build first: `npm run build`). */
function assertDistFresh(): void {
  const stale = walk(join(ROOT, 'src'))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .filter((file) => {
      const out = join(ROOT, 'dist', relative(join(ROOT, 'src'), file)).replace(/\.ts$/, '.js');
      return !existsSync(out) || statSync(out).mtimeMs < statSync(file).mtimeMs;
    });
  if (stale.length > 0) {
    throw new Error(`dist/ is older than src/ for ${stale.length} file(s), e.g. ${stale.slice(0, 3).join(', ')}: run \`npm run build\` first (npm test does).`);
  }
}

const dockerGate = await isolationGate('docker');

let work: DirectoryResult;
let project: string;
let tarball: string;
let packedFiles: string[];
let install: Run;

beforeAll(async () => {
  assertDistFresh();
  work = await tmpDir({ unsafeCleanup: true, prefix: 'daemonspec-pack-' });
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work.path], ROOT);
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  tarball = join(work.path, info.filename);
  packedFiles = info.files.map((f) => f.path);

  project = join(work.path, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pack-smoke', version: '1.0.0', private: true, type: 'module' }));
  install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project, INSTALL_TIMEOUT);
}, INSTALL_TIMEOUT + 30_000);

afterAll(async () => {
  await work?.cleanup();
});

describe('the packed tarball', () => {
  it('contains the bundled library with its types, the CLI and the README, and no tests, sources or unbundled modules', () => {
    const library = ['package.json', 'README.md', 'dist/bundle/index.js', 'dist/index.d.ts'];
    // The CLI: its CommonJS entry, its code and the code cache the build made for it (src/cli/launcher.ts).
    const cli = ['bin/daemonspec.js', 'bin/package.json', 'dist/bundle/cli.cjs', 'dist/bundle/cli-run.cjs', 'dist/bundle/cli-run.cjs.v8-cache'];
    for (const required of [...library, ...cli]) {
      expect(packedFiles, `${required} is missing from the tarball`).toContain(required);
    }
    const unbundled = packedFiles.filter((f) => f.startsWith('dist/') && f.endsWith('.js') && !f.startsWith('dist/bundle/'));
    expect(unbundled, "tsc's one-file-per-module output (the bundle holds it)").toEqual([]);
    // The CLI's declarations name commander's types, and commander is bundled, not a dependency.
    expect(packedFiles.filter((f) => f.startsWith('dist/cli/'))).toEqual([]);
    const unwanted = packedFiles.filter(
      (f) => /^(spec|src|node_modules|reports|\.ci|\.github)\//.test(f) || /\.test(-d)?\.[cm]?[jt]s$/.test(f) || f.endsWith('.tgz'),
    );
    expect(unwanted, 'test files, sources or build leftovers in the tarball').toEqual([]);
  });

  it("ships the licence of the package bundled into the CLI (commander's MIT notice)", () => {
    expect(packedFiles).toContain('dist/bundle/THIRD-PARTY-LICENSES.txt');
    const notices = readFileSync(join(project, 'node_modules/daemonspec/dist/bundle/THIRD-PARTY-LICENSES.txt'), 'utf8');
    expect(notices).toMatch(/^commander \d+\.\d+\.\d+ \(MIT\)/);
    expect(notices).toContain('Permission is hereby granted');
  });

  it('holds every file that package.json exports names', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };
    const named = Object.values(pkg.exports).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)));
    for (const file of named) expect(packedFiles, `${file} is missing from the tarball`).toContain(file.replace(/^\.\//, ''));
  });

  it('ships examples/, which the docs link (every file of it)', () => {
    const root = fileURLToPath(new URL('../../examples/', import.meta.url));
    const examples = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(fileURLToPath(new URL('../../', import.meta.url)), join(entry.parentPath, entry.name)));
    expect(examples.length).toBeGreaterThan(0);
    for (const file of examples) expect(packedFiles, `${file} is missing from the tarball`).toContain(file);
  });

  it('ships the published JSON Schemas of the reports (merge reads them at run time)', () => {
    expect(packedFiles).toContain('schema/check-report.schema.json');
    expect(packedFiles).toContain('schema/matrix-report.schema.json');
  });

  it('installs into an empty project with npm', () => {
    expect(install.code, `npm install failed:\n${install.stderr}`).toBe(0);
    expect(existsSync(join(project, 'node_modules/.bin/daemonspec'))).toBe(true);
  });

  it('runs `npx daemonspec --help` and `--version` from the installed package', async () => {
    const help = await run('npx', ['--no-install', 'daemonspec', '--help'], project);
    expect(help.code, help.stderr).toBe(0);
    for (const command of ['run', 'stop', 'status', 'check', 'inspect', 'matrix', 'doctor']) {
      expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    const version = await run('npx', ['--no-install', 'daemonspec', '--version'], project);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
  });

  it('runs `daemonspec doctor --json` (koffi loads from the installed dependencies)', async () => {
    const doctor = await run('npx', ['--no-install', 'daemonspec', 'doctor', '--json'], project);
    expect(doctor.code, doctor.stderr).toBe(0);
    expect((JSON.parse(doctor.stdout) as { checks: Record<string, unknown> }).checks).toHaveProperty('pty');
  });

  it('daemonizes with `daemonspec run` and stops with `daemonspec stop`', async () => {
    const pidfile = join(work.path, 'sleep.pid');
    // Registered before the run: a daemon that started but failed an assertion is stopped too.
    onTestFinished(() => {
      const pid = existsSync(pidfile) ? Number(readFileSync(pidfile, 'utf8')) : 0;
      if (!(pid > 1)) return;
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'latin1').startsWith('/bin/sleep\0')) process.kill(pid, 'SIGKILL');
      } catch {
        // already stopped
      }
    });
    const started = await run('npx', ['--no-install', 'daemonspec', 'run', '--pidfile', pidfile, '--', '/bin/sleep', '30'], project);
    expect(started.code, started.stderr).toBe(0);
    const pid = Number(readFileSync(pidfile, 'utf8'));
    expect(readFileSync(pidfile, 'utf8')).toBe(`${pid}\n`);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0')[0]).toBe('/bin/sleep');
    const stopped = await run('npx', ['--no-install', 'daemonspec', 'stop', '--pidfile', pidfile], project);
    expect(stopped.code, stopped.stderr).toBe(0);
    await vi.waitFor(() => expect(existsSync(`/proc/${pid}`)).toBe(false), { timeout: 10_000, interval: 20 });
  });

  it("checks daemonspec's own `run` with `daemonspec check --json` and it conforms to sysv", async () => {
    const pidfile = join(work.path, 'checked.pid');
    const cli = join(project, 'node_modules/daemonspec/bin/daemonspec.js');
    const checked = await run(
      'npx',
      ['--no-install', 'daemonspec', 'check', '--json', '--pidfile', pidfile, '--', process.execPath, cli, 'run', '--pidfile', pidfile, '--', '/bin/sleep', '30'],
      project,
      120_000,
    );
    const report = JSON.parse(checked.stdout) as { schemaVersion: number; verdict: string; results: { rule: string; status: string; message: string }[]; cleanup: { leftRunning: number[] } };
    expect(report.schemaVersion).toBe(2);
    expect(report.cleanup.leftRunning).toEqual([]);
    const failed = report.results.filter((r) => r.status === 'fail').map((r) => `${r.rule}: ${r.message}`);
    expect(failed).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(checked.code).toBe(0);
  });

  it.skipIf(!dockerGate.run)(`checks inside a container from the installed package (${dockerGate.label})`, async () => {
    // The installed package's dependencies are beside it (project/node_modules), outside the
    // package directory that docker mounts (at /daemonspec): the checker and the daemonizer in
    // the container must still find koffi. daemonspec's own `run` conforms there as on the host.
    const checked = await run(
      'npx',
      ['--no-install', 'daemonspec', 'check', '--json', '--isolation', 'docker', '--pidfile', '/tmp/d.pid', '--', 'node', '/daemonspec/bin/daemonspec.js', 'run', '--pidfile', '/tmp/d.pid', '--', '/bin/sleep', '30'],
      project,
      180_000,
    );
    expect(checked.stderr).not.toMatch(/Cannot find package/);
    const report = JSON.parse(checked.stdout) as { verdict: string };
    expect(report.verdict, checked.stderr).toBe('pass');
    expect(checked.code).toBe(0);
  });

  it('typechecks a TypeScript file that imports `daemonspec` and `daemonspec/vitest` (NodeNext)', { timeout: 180_000 }, async () => {
    // A user's project has vitest and @types/node of its own; link this repository's.
    mkdirSync(join(project, 'node_modules/@types'), { recursive: true });
    for (const dep of ['vitest', '@types/node']) {
      if (!existsSync(join(project, 'node_modules', dep))) symlinkSync(join(ROOT, 'node_modules', dep), join(project, 'node_modules', dep), 'dir');
    }
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
        include: ['consumer.ts'],
      }),
    );
    writeFileSync(
      join(project, 'consumer.ts'),
      [
        "import { expect } from 'vitest';",
        "import * as daemonspec from 'daemonspec';",
        "import { checkDaemonAndCleanup } from 'daemonspec/vitest';",
        "const error = new daemonspec.DaemonspecError('EPIDFILE_LOCKED', 'held by PID 1', { pid: 1 });",
        'const code: daemonspec.DaemonspecErrorCode = error.code;',
        '// The types are real, not `any`: an unknown code does not compile.',
        "// @ts-expect-error",
        "new daemonspec.DaemonspecError('ENOPE', 'x');",
        'export async function conformance(): Promise<void> {',
        "  const report: daemonspec.CheckReport = await checkDaemonAndCleanup(['./start'], { pidfile: '/tmp/x.pid' });",
        "  expect(report).toConform('sysv');",
        "  expect(report).toPassRule('no-leaked-fds');",
        "  // @ts-expect-error: rule ids are typed",
        "  expect(report).toPassRule('no-such-rule');",
        "  const started = await daemonspec.spawnDaemon('/bin/sleep', ['1'], { pidfile: '/tmp/s.pid' });",
        '  started.pid satisfies number;',
        '}',
        'export const used = code;',
        '',
      ].join('\n'),
    );
    const tsc = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project, 120_000);
    expect(tsc.code, `${tsc.stdout}\n${tsc.stderr}`).toBe(0);
  });
});
