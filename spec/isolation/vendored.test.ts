import { spawnSync } from 'node:child_process';
import { cpSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { testDir } from '../support/temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/*
 * The package's code copied into another package (vendored, or bundled again by a user's own
 * bundler): nothing above it is named daemonspec, so its root cannot be found. A check on the
 * host in this process needs no root and must still run; only what does need it (the CLI's path
 * for a child checker, the fixtures, docker's mount) may fail, and then with the fix.
 */
test('checkDaemon runs on the host from a copy of the bundle inside a package of another name', () => {
  const dir = testDir('vendored-');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'someone-else', type: 'module' }));
  cpSync(join(ROOT, 'dist/bundle'), join(dir, 'vendor'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const pidfile = join(dir, 'd.pid');
  const code = [
    "const { checkDaemon } = await import('./vendor/index.js');",
    `const report = await checkDaemon(['/bin/sh', '-c', 'sleep 30 >/dev/null 2>&1 </dev/null & echo $! > ${pidfile}'], { pidfile: ${JSON.stringify(pidfile)}, timeoutMs: 10000 });`,
    'console.log(JSON.stringify({ pid: report.daemon?.pid ?? null, rules: report.results.length }));',
  ].join('\n');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout) as { pid: number | null; rules: number };
  expect(out.pid).toBeGreaterThan(0);
  expect(out.rules).toBeGreaterThan(10);
});
