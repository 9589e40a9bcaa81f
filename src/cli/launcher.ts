import { readFileSync } from 'node:fs';
import { Module, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { nameCachedCode } from './cached-code-name.js';
import { readCodeCache } from './code-cache-file.js';

export { cacheFile } from './code-cache-file.js';

/*
 * The CLI's entry (issue 14.1): bin/daemonspec.js requires this module's CommonJS build,
 * dist/bundle/cli.cjs, which loads the CLI's code with V8's code cache.
 *
 * Measured here against the ES module build of the same code: Node's ES loader costs a file entry
 * about 8 ms that CommonJS does not pay (an empty .mjs against an empty .cjs), and compiling the
 * 140 KB that a plain `run` runs costs 4-5 ms that a code cache written by the build saves
 * (scripts/code-cache.mjs records it after a real plain run, so the functions that run are in it).
 * V8 checks a cache against its own version, its flags and the source's length, and compiles the
 * source when it does not match: another Node, or a build without the cache, loses only the time.
 * That is not enough (an edit of the same length, a cache made under another path): the cache's
 * file says what it was made from and for (code-cache-file.ts). The build rewrites the code and
 * its cache together (dist/bundle/ is emptied first).
 */

/** The CommonJS chunk that holds the CLI's code and everything a plain `run` runs (scripts/bundle.mjs). */
export const CLI_CODE = 'cli-run.cjs';
/** V8's code cache for CLI_CODE, written by the build (scripts/code-cache.mjs). */
export const CLI_CODE_CACHE = `${CLI_CODE}.v8-cache`;
/** The CLI's entry chunk: it re-exports main from CLI_CODE. */
const CLI_ENTRY = 'cli-main.cjs';

/** What the CLI's entry exports (src/cli/main.ts). */
export interface Cli {
  main(argv: readonly string[]): Promise<void>;
}

export interface LoadedCli {
  cli: Cli;
  /** The compiled CLI_CODE: whether V8 took the cache, and a new cache can be taken from it. */
  script: Script;
  /** The path CLI_CODE had where the cache given to V8 was made (undefined: no cache was given). */
  cacheMadeFor: string | undefined;
}

/** The directory of this module's build: dist/bundle/. */
function bundleDir(): string {
  return dirname(fileURLToPath(import.meta.url));
}

/** The CLI's module, CLI_CODE compiled with its code cache. */
export function loadCli(dir = bundleDir()): LoadedCli {
  const code = readFileSync(join(dir, CLI_CODE));
  const cache = readCodeCache(join(dir, CLI_CODE_CACHE), code);
  const script = compileCached(dir, code, cache?.data);
  const cli = createRequire(join(dir, CLI_ENTRY))(join(dir, CLI_ENTRY)) as Cli;
  return { cli, script, cacheMadeFor: cache?.madeFor };
}

/** Runs the CLI on process.argv: the CLI's own process (bin/daemonspec.js). */
export function runCli(argv: readonly string[] = process.argv): Promise<void> {
  const dir = bundleDir();
  const { cli, script, cacheMadeFor } = loadCli(dir);
  if (script.cachedDataRejected === false && cacheMadeFor !== undefined) nameCachedCode(cacheMadeFor, join(dir, CLI_CODE));
  return cli.main(argv);
}

/** CommonJS's wrapper, as Node's loader puts it around a module's source. */
const WRAPPER = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'] as const;

/**
 * Compiles CLI_CODE with its cache and runs it as Node's loader would, then leaves it in require's
 * cache, where CLI_ENTRY's require() of it finds it. The code must not use import(): a script
 * compiled by node:vm has no loader for it on Node 20 but an experimental one, which warns on
 * stderr (scripts/bundle.mjs refuses a CLI_CODE that holds one).
 */
function compileCached(dir: string, code: Buffer, cachedData: Buffer | undefined): Script {
  const filename = join(dir, CLI_CODE);
  const script = new Script(`${WRAPPER[0]}${code.toString('utf8')}${WRAPPER[1]}`, {
    filename,
    cachedData,
  });
  const require = createRequire(filename);
  const module = new Module(filename);
  module.filename = filename;
  const wrapped = script.runInThisContext() as (...args: unknown[]) => void;
  wrapped.call(module.exports, module.exports, require, module, filename, dir);
  module.loaded = true;
  require.cache[filename] = module;
  return script;
}
