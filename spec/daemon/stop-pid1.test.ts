import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { skipUnlessCapable } from '../posix/support.js';
import { testDir } from '../support/temp-dir.js';

/*
 * A pidfile naming PID 1 is never signalled (found by a probe: stopDaemon sent init SIGTERM, then
 * SIGKILL). Provoked inside a fresh PID namespace, whose init is the shell below: it writes 1 into
 * the pidfile and holds its lock, as a daemon would, then runs the stop. Inside the namespace, its
 * init ignores those signals, so the test is safe even when the fix is missing (it then fails
 * after SIGKILL's 5 s).
 */
const index = fileURLToPath(new URL('../../dist/bundle/index.js', import.meta.url));
const missing =
  process.platform !== 'linux' ? 'PID namespaces are Linux only'
  : process.getuid?.() !== 0 ? 'needs root for unshare --pid'
  : spawnSync('unshare', ['--version']).error ? 'unshare is not installed'
  : null;

describe('stopDaemon and a pidfile naming PID 1', () => {
  it('refuses, naming init, and signals nothing (--force or not)', (context) => {
    skipUnlessCapable(context, missing);
    const pidfile = join(testDir('stop-pid1-'), 'init.pid');
    const stop = (force: boolean) =>
      `import(${JSON.stringify(index)}).then((d) => d.stopDaemon({ pidfile: process.argv[1], timeout: 200, force: ${force} })).then((r) => console.log('stopped', JSON.stringify(r)), (e) => console.log(e.code, e.message))`;
    const script = `echo 1 > "$1"; exec 9>>"$1"; flock 9; "$2" -e "$3" "$1"; "$2" -e "$4" "$1"`;
    const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', '/bin/sh', '-c', script, 'init', pidfile, process.execPath, stop(false), stop(true)], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const refusal = `ENOTRUNNING pidfile ${pidfile} names PID 1 (init), which daemonspec never signals: remove the pidfile if no daemon of yours runs`;
    expect(r.stdout.trim().split('\n')).toEqual([refusal, refusal]);
  });
});
