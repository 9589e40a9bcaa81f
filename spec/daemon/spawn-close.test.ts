import { closeSync, openSync, readdirSync } from 'node:fs';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { dupAtLeast, kill, reap } from '../../src/ffi/libc.js';
import { spawn } from '../../src/ffi/spawn.js';
import { scene } from './support.js';

function fdsOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/fd`)
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * closeOtherFds with a kept fd far above the open ones (the listing path, not one probe per
 * number): exactly 0-2 and the kept fd reach the child; an open fd below it does not.
 */
describe('spawn closeOtherFds', () => {
  for (const high of [40, 19990]) {
    it(`keepFds [${high}]: the child has 0, 1, 2 and ${high} only`, async () => {
      const s = scene();
      const file = openSync(s.path('kept'), 'w');
      const kept = dupAtLeast(file, high);
      const low = openSync(s.path('not-kept'), 'w'); // non-CLOEXEC in Node: would leak if not closed
      onTestFinished(() => {
        for (const fd of [file, kept, low]) closeSync(fd);
      });
      expect(kept).toBeGreaterThanOrEqual(high);
      const pid = spawn({
        path: '/bin/sleep',
        argv: ['sleep', '300'],
        env: s.env,
        fileActions: [
          { op: 'open', fd: 0, path: '/dev/null', flags: 0 },
          { op: 'open', fd: 1, path: '/dev/null', flags: 1 },
          { op: 'open', fd: 2, path: '/dev/null', flags: 1 },
        ],
        closeOtherFds: true,
        keepFds: [kept],
      });
      const exited = reap(pid);
      onTestFinished(async () => {
        kill(pid, 9);
        await exited;
      });
      // Wait until the exec happened (the fds are set up before it).
      await vi.waitFor(() => expect(fdsOf(pid)).toEqual([0, 1, 2, kept]), { timeout: 10_000, interval: 10 });
    });
  }
});
