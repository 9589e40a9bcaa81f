import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * Without manualReady a daemon reports ready before it marks its pidfile lock close-on-exec
 * (src/daemon/handle.ts): the original has exited 0 by then. A failure of that fcntl must not
 * reach daemonize()'s caller as an exception, which would end a daemon already reported running.
 */
const handleModule = fileURLToPath(new URL('../../dist/daemon/handle.js', import.meta.url));

describe("the daemon's side after ready()", () => {
  it('a lock fd that cannot be marked close-on-exec (EBADF) is named on stderr; daemonize() still returns the handle', () => {
    const script = `import { openSync } from 'node:fs';
const { daemonHandle } = await import(${JSON.stringify(handleModule)});
const statusFd = openSync('/dev/null', 'w');
const handle = daemonHandle({ v: 1, statusFd, lockFd: 987, pidfile: null, manualReady: false });
process.stdout.write(\`settled=\${handle.settled}\`);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout).toBe('settled=true');
    expect(r.stderr).toMatch(/^daemonspec: the pidfile lock \(fd 987\) could not be marked close-on-exec: .*EBADF.*; the daemon's children may inherit it\n$/);
    expect(r.status).toBe(0);
  });
});
