// `npm run build`'s second step: the package's entries as a few files (issue 14.1).
//
// tsc writes one module per source file into dist/; loading 90 small ES modules costs Node
// about 50 ms (resolution, URL and file handling per module), most of an `import 'daemonspec'`,
// which both processes of a daemonize() start pay. rolldown joins them into dist/bundle/: one
// file per entry, and shared chunks split where the code loads lazily (the checker, the start
// machinery, fuzz, the isolations), so a lazy path stays lazy. Packages stay external but one
// (BUNDLED_PACKAGES).
// dist/bundle/modules.json lists the dist/ modules each file holds (spec/project/import-graph
// reads it to tell what an import loads).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const out = join(dist, 'bundle');

/** The package's entries (package.json "exports" and bin/daemonspec.js point here), by output name. */
const ENTRIES = {
  index: 'index.js',
  check: 'check/public.js',
  vitest: 'vitest/index.js',
  internal: 'internal.js',
  cli: 'cli/main.js',
};

/**
 * Packages bundled into the CLI: commander (a dozen CommonJS files, 12-20 ms to load here) is
 * loaded by every command line but a plain `run` (src/cli/plain-run.ts) and by nothing else, so it
 * travels in the CLI's commander file and is a build dependency only.
 */
const BUNDLED_PACKAGES = new Set(['commander']);

/** The licence texts of BUNDLED_PACKAGES, which their licences ask to ship with their code. */
const NOTICES = 'THIRD-PARTY-LICENSES.txt';

/**
 * A bundled package's name, version and licence text, read from its installed copy.
 * @param {string} name
 */
function notice(name) {
  const dir = join(root, 'node_modules', name);
  const { version, license } = /** @type {{ version: string, license: string }} */ (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')));
  return `${name} ${version} (${license}), bundled into dist/bundle/\n\n${readFileSync(join(dir, 'LICENSE'), 'utf8').trim()}\n`;
}

/**
 * Bare specifiers (packages and node: built-ins) stay imports, except BUNDLED_PACKAGES; the
 * project's own files are joined.
 * @param {string} id
 */
const isPackage = (id) => !id.startsWith('.') && !id.startsWith('/') && !BUNDLED_PACKAGES.has(id);

/** A static import or re-export in tsc's output (`import type` is erased there); dynamic import() is not matched. */
const STATIC_IMPORT = /^(?:import|export)\s(?:[^;]*?\sfrom\s)?'(\.{1,2}\/[^']+)';$/gm;

/**
 * The dist/ files `start` loads before its first line runs: itself and its static imports, transitively.
 * @param {string[]} starts absolute paths
 * @returns {Set<string>}
 */
function staticClosure(starts) {
  const seen = new Set(starts);
  const queue = [...starts];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const target = join(dirname(file), /** @type {string} */ (spec));
      if (seen.has(target)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  return seen;
}

/**
 * The paths worth one file each: left to itself, rolldown cuts them into a dozen chunks by which
 * entries share what, and each file costs the loader about a millisecond. A group holds the
 * static closure of its modules, less the entries themselves and what an earlier group holds.
 */
const GROUPS = [
  // `import 'daemonspec'`: what every daemon loads; and the package root (1 KB), which the
  // checker and the CLI both ask for: in the CLI's group it would make a check load commander.
  { name: 'core', from: [ENTRIES.index, 'package-root.js'] },
  // What the first daemonize() or spawnDaemon() loads (daemon/daemonize.js and spawn-daemon.js import these lazily).
  { name: 'start', from: ['daemon/start-self.js', 'daemon/validate.js', 'daemon/launch.js'] },
  // `daemonspec run` in its plain shape (cli/plain-run.js): the CLI's entry and the run action, without commander.
  { name: 'cli-run', from: [ENTRIES.cli, 'cli/run-action.js'] },
  // Every other command line: commander's program and the run command's registration.
  { name: 'cli', from: ['cli/program.js', 'cli/run.js'] },
];
const entryFiles = new Set(Object.values(ENTRIES).map((file) => join(dist, file)));
/** @type {Map<string, string>} module path → its group's name */
const groupOf = new Map();
for (const group of GROUPS) {
  for (const id of staticClosure(group.from.map((file) => join(dist, file)))) {
    if (!entryFiles.has(id) && !groupOf.has(id)) groupOf.set(id, group.name);
  }
}

/**
 * The group of a module outside dist/: a bundled package goes with commander's part of the CLI.
 * rolldown's own helpers (a virtual module, id starting with NUL) are kept out of that group, which
 * would make every path load commander; rolldown 1.2 emits them as a 300-byte chunk of their own all the same.
 * @param {string} id
 * @returns {string | undefined}
 */
const outsideGroup = (id) => (id.startsWith(dist) ? undefined : id.startsWith('\0') ? 'core' : 'cli');

rmSync(out, { recursive: true, force: true });
const result = await build({
  input: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(dist, file)])),
  external: isPackage,
  platform: 'node',
  logLevel: 'warn',
  output: {
    dir: out,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    codeSplitting: { groups: GROUPS.map(({ name }) => ({ name, test: (/** @type {string} */ id) => (groupOf.get(id) ?? outsideGroup(id)) === name })) },
  },
});

/** @type {Record<string, string[]>} */
const modules = {};
for (const item of result.output) {
  if (item.type === 'chunk') modules[item.fileName] = item.moduleIds.map((id) => relative(dist, id)).sort();
}
writeFileSync(join(out, 'modules.json'), `${JSON.stringify(modules, null, 2)}\n`);
writeFileSync(join(out, NOTICES), BUNDLED_PACKAGES.size === 0 ? '' : [...BUNDLED_PACKAGES].map(notice).join('\n'));
