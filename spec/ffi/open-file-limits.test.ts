import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openFileLimits } from '../../src/ffi/libc.js';
import { openFileLimitsOf } from '../../src/inspect/index.js';

/*
 * The checker lays out its fds under this process's limit of open files (src/check/fd-layout.ts).
 * It read the limit from /proc/PID/limits, which macOS has not: there a low hard limit got the
 * usual layout and the check failed with EBADF. getrlimit(2) reads it on every OS; on Linux it
 * must say what /proc says, at the usual limit and under a lowered one.
 */
const PRLIMIT = '/usr/bin/prlimit';
const LIBC = fileURLToPath(new URL('../../dist/ffi/libc.js', import.meta.url));

describe.runIf(process.platform === 'linux' && existsSync(PRLIMIT))('openFileLimits (getrlimit)', () => {
  it('says what /proc/self/limits says, with a soft limit below the hard one (the two are not swapped)', () => {
    const before = openFileLimits();
    const soft = before.soft - 7;
    // This process's soft limit lowered for the test, then put back (a soft limit may go up to the hard one).
    expect(spawnSync(PRLIMIT, ['--pid', String(process.pid), `--nofile=${soft}:${before.hard}`]).status).toBe(0);
    try {
      expect(openFileLimits()).toEqual({ soft, hard: before.hard });
      expect(openFileLimits()).toEqual(openFileLimitsOf(process.pid));
    } finally {
      spawnSync(PRLIMIT, ['--pid', String(process.pid), `--nofile=${before.soft}:${before.hard}`]);
    }
    expect(openFileLimits()).toEqual(before);
  });

  it('reads a lowered limit in a process started under it', () => {
    const script = `import(${JSON.stringify(LIBC)}).then((m) => console.log(JSON.stringify(m.openFileLimits())))`;
    const r = spawnSync(PRLIMIT, ['--nofile=300:400', '--', process.execPath, '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    // Node raises its soft limit to the hard one as it starts.
    expect(JSON.parse(r.stdout)).toEqual({ soft: 400, hard: 400 });
  });
});
