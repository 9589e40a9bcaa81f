// `npm run build`'s second step: the package's entries as a few files (issue 14.1).
//
// tsc writes one module per source file into dist/; loading 90 small ES modules costs Node
// about 50 ms (resolution, URL and file handling per module), most of an `import 'daemonspec'`,
// which both processes of a daemonize() start pay. rolldown joins them into dist/bundle/: one
// file per entry, and shared chunks split where the code loads lazily (the checker, the start
// machinery, fuzz, the isolations), so a lazy path stays lazy. Packages stay external but one
// (BUNDLED_PACKAGES). The CLI is built a second time, as CommonJS (CLI_ENTRIES), for its code cache
// (scripts/code-cache.mjs, the third step).
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
};

/**
 * The CLI, built a second time as CommonJS (bin/daemonspec.js requires dist/bundle/cli.cjs):
 * Node's ES loader costs a file entry about 8 ms, and only CommonJS code can be compiled with a
 * code cache on Node 20 (src/cli/launcher.ts). `cli-main` is the CLI's code, which the launcher loads.
 */
const CLI_ENTRIES = {
  cli: 'cli/launcher.js',
  'cli-main': 'cli/main.js',
};

/**
 * The CLI's run group, as the launcher names it (CLI_CODE in src/cli/launcher.ts): the next step,
 * scripts/code-cache.mjs, loads it through the launcher and fails the build when they differ.
 */
const CLI_CODE = 'cli-run.cjs';

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
  // checker asks for too.
  { name: 'core', from: [ENTRIES.index, 'package-root.js'] },
  // What the first daemonize() or spawnDaemon() loads (daemon/daemonize.js and spawn-daemon.js import these lazily).
  { name: 'start', from: ['daemon/start-self.js', 'daemon/validate.js', 'daemon/launch.js'] },
];

/** The CommonJS build's groups: everything a plain `daemonspec run` runs in one file (the one the code cache is for). */
const CLI_GROUPS = [
  // `daemonspec run` in its plain shape (cli/plain-run.js): the CLI's code, the run action and the start, without commander.
  { name: 'cli-run', from: [CLI_ENTRIES['cli-main'], 'cli/run-action.js', 'daemon/start-self.js', 'daemon/validate.js', 'daemon/launch.js'] },
  // Every other command line: commander's program and the run command's registration.
  { name: 'cli', from: ['cli/program.js', 'cli/run.js'] },
];

/**
 * Each module's group: the first group whose static closure holds it, entries excepted.
 * @param {{ name: string, from: string[] }[]} groups
 * @param {string[]} entries dist/-relative
 * @returns {Map<string, string>} module path → its group's name
 */
function groupsOf(groups, entries) {
  const entryFiles = new Set(entries.map((file) => join(dist, file)));
  const groupOf = new Map();
  for (const group of groups) {
    for (const id of staticClosure(group.from.map((file) => join(dist, file)))) {
      if (!entryFiles.has(id) && !groupOf.has(id)) groupOf.set(id, group.name);
    }
  }
  return groupOf;
}

/**
 * The group of a module outside dist/ in the CLI's build: a bundled package goes with commander's
 * part of the CLI. rolldown's own helpers (a virtual module, id starting with NUL) are kept out of
 * that group, which would make every path load commander. In the library's build they go with core.
 * @param {string} id
 * @returns {string | undefined}
 */
const outsideCliGroup = (id) => (id.startsWith(dist) ? undefined : id.startsWith('\0') ? 'cli-run' : 'cli');

/**
 * rolldown's codeSplitting groups for a module → group map.
 * @param {{ name: string }[]} groups
 * @param {Map<string, string>} groupOf
 * @param {(id: string) => string | undefined} outside
 */
const splitting = (groups, groupOf, outside) => ({
  groups: groups.map(({ name }) => ({ name, test: (/** @type {string} */ id) => (groupOf.get(id) ?? outside(id)) === name })),
});

/** @param {Record<string, string>} entries */
const inputs = (entries) => Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, join(dist, file)]));

rmSync(out, { recursive: true, force: true });
const library = await build({
  input: inputs(ENTRIES),
  external: isPackage,
  platform: 'node',
  logLevel: 'warn',
  output: {
    dir: out,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    codeSplitting: splitting(GROUPS, groupsOf(GROUPS, Object.values(ENTRIES)), (id) => (id.startsWith(dist) ? undefined : 'core')),
  },
});
const cli = await build({
  input: inputs(CLI_ENTRIES),
  external: isPackage,
  platform: 'node',
  logLevel: 'warn',
  // The start machinery, which daemon/spawn-daemon.js imports lazily for the library, is in cli-run on purpose.
  checks: { ineffectiveDynamicImport: false },
  output: {
    dir: out,
    format: 'cjs',
    // Without comments and with non-ASCII characters escaped, the source V8 reads is a third
    // smaller and one byte per character: 1.6 ms less per start, measured here.
    comments: false,
    charset: 'ascii',
    entryFileNames: '[name].cjs',
    // The run group keeps its name: the launcher and its code cache name it.
    chunkFileNames: (chunk) => (`${chunk.name}.cjs` === CLI_CODE ? CLI_CODE : '[name]-[hash].cjs'),
    codeSplitting: splitting(CLI_GROUPS, groupsOf(CLI_GROUPS, Object.values(CLI_ENTRIES)), outsideCliGroup),
  },
});

// The CLI's code runs compiled by node:vm with its code cache (src/cli/launcher.ts), where Node 20
// has no loader for import() but an experimental one that warns: a built-in is required instead.
const dynamicImport = /\bimport\(/.exec(readFileSync(join(out, CLI_CODE), 'utf8'));
if (dynamicImport) {
  console.error(`bundle: ${CLI_CODE} holds an import() (at offset ${dynamicImport.index}): load a built-in on use with require (src/builtins-on-use.ts), or keep the module out of the CLI's run group`);
  process.exit(1);
}

/** @type {Record<string, string[]>} */
const modules = {};
for (const item of [...library.output, ...cli.output]) {
  if (item.type === 'chunk') modules[item.fileName] = item.moduleIds.map((id) => relative(dist, id)).sort();
}
writeFileSync(join(out, 'modules.json'), `${JSON.stringify(modules, null, 2)}\n`);
writeFileSync(join(out, NOTICES), BUNDLED_PACKAGES.size === 0 ? '' : [...BUNDLED_PACKAGES].map(notice).join('\n'));
