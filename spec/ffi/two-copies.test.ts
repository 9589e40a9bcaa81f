import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';

/*
 * Two copies of daemonspec in one process: two versions installed side by side in node_modules,
 * or (in this repository) the bundled entries next to tsc's modules. koffi keeps named types in
 * one process-wide table, so a second copy that declared a struct by name failed to load with
 * "Duplicate type name". Every struct the project declares is anonymous.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const url = (file: string): string => pathToFileURL(join(root, file)).href;

test('the bundled package and a second copy of its C bindings load in one process, each working', () => {
  const code = [
    `const bundled = await import('daemonspec');`,
    `const libc = await import(${JSON.stringify(url('dist/ffi/libc.js'))});`,
    `const sender = await import(${JSON.stringify(url('dist/ffi/datagram-sender-linux.js'))});`,
    `const internal = await import('daemonspec/internal');`,
    `if (libc.lookupUser('root').uid !== 0) process.exit(3);`,
    `if (typeof sender.linuxSenderCredentials.receive !== 'function' || typeof internal.runMatrix !== 'function' || typeof bundled.daemonize !== 'function') process.exit(4);`,
  ].join('\n');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});
