/**
 * The final stop signals the pids the check found (the daemon, the candidates) only if they are
 * still the processes it found: it compares the start time from when it found them, not one read
 * at stop time, which a pid reused meanwhile (a long life-cycle phase, a daemon that died) would
 * pass. A reuse cannot be forced, so the test gives the scope a first-seen start time that differs
 * from the live process's, as a reuse would.
 */
import { spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { launchInScope } from '../../src/check/adopted.js';
import { stopEverything } from '../../src/check/stop.js';
import { isRunning, processStartTime } from '../../src/inspect/index.js';

describe('stopEverything', () => {
  test('does not signal a pid that names another process than the one the check found', async () => {
    const bystander = spawn('/bin/sleep', ['30'], { stdio: 'ignore' });
    try {
      const pid = bystander.pid!;
      const start = processStartTime(pid)!;
      // The bystander is the checking process's child from before the launch: never in the scope.
      const { scope } = launchInScope('stop-reused-pid-test', () => ({ pid: process.pid }));
      scope.seenStarts.set(pid, start - 1);
      const cleanup = await stopEverything(scope, [pid]);
      expect(cleanup.stopped).not.toContain(pid);
      expect(isRunning(pid, start)).toBe(true);
    } finally {
      bystander.kill('SIGKILL');
    }
  });
});
