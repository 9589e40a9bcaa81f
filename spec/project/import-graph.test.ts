import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testDir } from '../support/temp-dir.js';

/*
 * Issue 14.1: `import { daemonize } from 'daemonspec'` loads only what the daemon side needs.
 * Both processes of a daemonize() start pay for that import, so the checker, the isolations,
 * the reports, fuzz and trace, and the start machinery itself (launch, readiness, the chain),
 * are loaded when first called, not on import; the checker's data (rule lists, profiles, fixture
 * manifests) is the entry 'daemonspec/check'. The package's entries are bundled
 * (scripts/bundle.mjs): what an import loads is read as the bundle's files, each standing for the
 * dist/ modules it holds (dist/bundle/modules.json). Measured here as the files Node really
 * loads (a module.register() hook records every URL), not by reading import statements.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = pathToFileURL(join(root, 'dist')).href;

const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.LOADED_LOG, url + '\\n');
  return next(url, context);
}
`;

/** The files of dist/bundle/ (the package's entries, scripts/bundle.mjs), by the dist/ modules each holds. */
const bundled = JSON.parse(readFileSync(join(root, 'dist/bundle/modules.json'), 'utf8')) as Record<string, string[]>;

/** The dist/ files (relative paths) among loaded URLs: a bundle file stands for the modules it holds. */
function distFiles(urls: readonly string[]): string[] {
  return urls.filter((url) => url.startsWith(`${dist}/`)).map((url) => url.slice(dist.length + 1));
}

/** The dist/ modules (relative paths) among loaded URLs, whether bundled or not. */
function distModules(urls: readonly string[]): string[] {
  return distFiles(urls).flatMap((file) => (file.startsWith('bundle/') ? (bundled[file.slice('bundle/'.length)] ?? [file]) : [file]));
}

/** The dist/ files a fresh node loads to run `code`. */
function distFilesLoadedBy(code: string): string[] {
  return distFiles(urlsLoadedBy(code));
}

/** The dist/ modules a fresh node loads to run `code`. */
function loadedBy(code: string): string[] {
  return distModules(urlsLoadedBy(code));
}

/** Every module URL (dist/ files, packages, node: built-ins) a fresh node loads to run `code`. */
function urlsLoadedBy(code: string): string[] {
  const dir = testDir('import-graph-');
  const hooks = join(dir, 'hooks.mjs');
  const log = join(dir, 'loaded.log');
  writeFileSync(hooks, HOOKS);
  writeFileSync(log, '');
  const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`;
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', code], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LOADED_LOG: log },
    timeout: 30_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(log, 'utf8').split('\n').filter((url) => url !== '');
}

/** Prints, as the process ends, every file CommonJS's loader holds (the CLI is CommonJS: bin/daemonspec.js). */
const REQUIRE_CACHE_AT_EXIT = `process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_LOG, Object.keys(require.cache).join('\\n')));`;

/** The dist/ modules `daemonspec ...args` loads, read from require's cache as it ends (src/cli/launcher.ts puts the CLI's code there). */
function cliModulesLoadedBy(args: readonly string[]): string[] {
  const dir = testDir('cli-graph-');
  const preload = join(dir, 'preload.cjs');
  const log = join(dir, 'loaded.log');
  writeFileSync(preload, REQUIRE_CACHE_AT_EXIT);
  const r = spawnSync(process.execPath, ['--require', preload, join(root, 'bin/daemonspec.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LOADED_LOG: log },
    timeout: 30_000,
  });
  expect(r.status, r.stderr).toBe(0);
  const urls = readFileSync(log, 'utf8').split('\n').filter((path) => path !== '').map((path) => pathToFileURL(path).href);
  return distModules(urls);
}

/** SIGKILLs the daemon a pidfile names, if it is there. */
function stopDaemonIn(pidfile: string): void {
  if (!existsSync(pidfile)) return;
  try {
    process.kill(Number(readFileSync(pidfile, 'utf8')), 'SIGKILL');
  } catch {
    // gone already
  }
}

const NOT_ON_IMPORT = [/^check\/(?!public|merge-runs|lazy|profiles|report-types|rules\/|lifecycle\/request|traps|caller-spec|fixtures)/, /^isolation\/(?!lazy)/, /^report\//, /^fuzz\/(?!lazy)/, /^trace\/(?!cite|brief|chain)/, /^matrix\//, /^daemon\/(launch|readiness\/|chain|start-|status-channel|let-go|validate)/];

describe("import { daemonize } from 'daemonspec'", () => {
  it('loads neither the checker, isolations, reports, fuzz and trace, nor the start machinery', () => {
    const loaded = loadedBy("import { daemonize } from 'daemonspec';");
    expect(loaded).toContain('index.js');
    expect(loaded).toContain('daemon/daemonize.js');
    expect(loaded.filter((file) => NOT_ON_IMPORT.some((pattern) => pattern.test(file)))).toEqual([]);
  });

  it('reads two files of the package: its entry and the daemon side as one chunk', () => {
    expect(distFilesLoadedBy("import { daemonize } from 'daemonspec';")).toEqual(['bundle/index.js', expect.stringMatching(/^bundle\/core-[\w-]+\.js$/)]);
  });

  it('does not import node:crypto (4-6 ms here) for random names it may never make', () => {
    const loaded = urlsLoadedBy("import { daemonize } from 'daemonspec';");
    expect(loaded).toContain('node:fs');
    expect(loaded).not.toContain('node:crypto');
  });

  it('does not load koffi: each C call binds on first use; inspecting a process on Linux (it reads /proc) makes none', () => {
    // The native binary is mapped once koffi loads; importing koffi itself is the control.
    const code = [
      "import { readFileSync } from 'node:fs';",
      "const mapped = () => readFileSync('/proc/self/maps', 'utf8').includes('koffi.node');",
      "const d = await import('daemonspec'); const seen = [mapped()];",
      'd.inspect(process.pid); seen.push(mapped());',
      "await import('koffi'); seen.push(mapped());",
      'process.stdout.write(seen.join(" "));',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(process.platform === 'linux' ? 'false false true' : 'false true true');
  });

  it('still loads them when they are called: checkDaemon is a function of the package entry', () => {
    const loaded = loadedBy("const { checkDaemon, spawnDaemon } = await import('daemonspec'); await checkDaemon([]).catch(() => {}); await spawnDaemon('').catch(() => {});");
    expect(loaded).toContain('isolation/index.js');
    expect(loaded).toContain('check/run-once.js');
    expect(loaded).toContain('daemon/launch.js');
  });

  it('a check from the library, or its data, loads neither the CLI nor commander (bundled into the CLI)', () => {
    for (const code of [
      "import 'daemonspec/check';",
      "const { checkDaemon } = await import('daemonspec'); await checkDaemon(['/bin/true'], { timeoutMs: 1000 }).catch(() => {});",
    ]) {
      const urls = urlsLoadedBy(code);
      expect(urls.filter((url) => url.includes('commander'))).toEqual([]);
      expect(loadedBy(code).filter((file) => file.startsWith('cli/') || file.includes('commander'))).toEqual([]);
    }
  });

  it('a plain `daemonspec run` starts its daemon without commander; `run --help` is the control that loads it', () => {
    const pidfile = join(testDir('plain-run-', () => stopDaemonIn(pidfile)), 'p.pid');
    const plain = cliModulesLoadedBy(['run', '--pidfile', pidfile, '--', '/bin/sleep', '60']);
    expect(plain).toContain('daemon/launch.js');
    expect(plain.filter((file) => file.includes('commander') || file === 'cli/program.js')).toEqual([]);
    const help = cliModulesLoadedBy(['run', '--help']);
    expect(help).toContain('cli/program.js');
    expect(help.filter((file) => file.includes('commander')).length).toBeGreaterThan(0);
  });

  it("leaves the checker's data to 'daemonspec/check', which has it", () => {
    const loaded = loadedBy("import { RULES, resolveProfile } from 'daemonspec/check'; if (RULES.length < 20 || !resolveProfile('sysv', {})) process.exit(3);");
    expect(loaded).toContain('check/rules/index.js');
    expect(loadedBy("import * as d from 'daemonspec'; if ('RULES' in d) process.exit(3);")).not.toContain('check/rules/index.js');
  });
});
