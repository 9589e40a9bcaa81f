import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI, scene, tagged } from '../daemon/support.js';

/* Issue 13 point 4: bytes Node cannot carry are refused (exit 2), never changed to U+FFFD. */
describe.skipIf(process.platform !== 'linux')('non-UTF-8 bytes on the command line', () => {
  it('an argument with a byte that is not UTF-8 is refused with exit 2, and nothing starts', () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    const r = spawnSync('/bin/sh', ['-c', `exec "$0" "$1" run --pidfile "$2" -- /bin/sleep "300$(printf '\\377')"`, process.execPath, CLI, pidfile], {
      env: s.env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toContain('not UTF-8');
    expect(r.status).toBe(2);
    expect(existsSync(pidfile)).toBe(false);
    expect(tagged(s.tag)).toEqual([]);
  });
});
