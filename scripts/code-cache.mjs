// `npm run build`'s third step: V8's code cache for the CLI's code (issue 14.1; src/cli/launcher.ts).
//
// It loads the CLI as bin/daemonspec.js does, runs a real plain `run` (a sleep, stopped at once
// after) so that the functions a start runs are compiled, and writes the cache V8 makes of them
// next to the code, after the line that says what it was made from and for and a copy of the code (src/cli/code-cache-file.ts),
// through a temporary file renamed into place. A start that fails here still leaves what compiled;
// the cache is then smaller, never wrong.
import { createRequire } from 'node:module';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dirSync } from 'tmp-promise';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bundle');
const launcher = /** @type {typeof import('../src/cli/launcher.js')} */ (createRequire(import.meta.url)(join(bundle, 'cli.cjs')));

/**
 * Stops the daemon the pidfile names, if any.
 * @param {string} pidfile
 */
function stopDaemon(pidfile) {
  let pid;
  try {
    pid = Number(readFileSync(pidfile, 'utf8').trim());
  } catch {
    return;
  }
  if (Number.isInteger(pid) && pid > 1) process.kill(pid, 'SIGKILL');
}

const { cli, script } = launcher.loadCli(bundle);
const cachePath = join(bundle, launcher.CLI_CODE_CACHE);
rmSync(cachePath, { force: true });
const dir = dirSync({ unsafeCleanup: true });
const pidfile = join(dir.name, 'cache.pid');
// A plain run that prints nothing ends the process itself (src/cli/main.ts): the cache is
// written as the process ends, whichever way it ends.
process.on('exit', () => {
  stopDaemon(pidfile);
  dir.removeCallback();
  if (process.exitCode) {
    console.warn('code cache: the plain run above failed; the cache holds what compiled before');
    process.exitCode = 0;
  }
  const codePath = join(bundle, launcher.CLI_CODE);
  const temporary = `${cachePath}.${process.pid}.tmp`;
  writeFileSync(temporary, launcher.cacheFile(codePath, readFileSync(codePath), script.createCachedData()));
  renameSync(temporary, cachePath);
});
await cli.main(['node', 'daemonspec', 'run', '--pidfile', pidfile, '--', '/bin/sleep', '60']);
