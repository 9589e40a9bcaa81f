import { expect, onTestFinished, test } from 'vitest';
import { launchInScope, scopeProcesses } from '../../src/check/adopted.js';
import { becomeSubreaper } from '../../src/check/subreaper.js';
import { MARKER_NAME } from '../../src/check/traps.js';
import { kill, processExists, reap } from '../../src/ffi/libc.js';
import { childrenOf, processSummary } from '../../src/inspect/index.js';
import { leavingLauncher } from './leaving-launcher.js';

/*
 * A daemon can be orphaned and adopted by the checker before the checker has read its own
 * children (start-stop-daemon's whole fork chain takes a few ms; a loaded machine can keep Node
 * off the CPU that long between posix_spawn and the next line). Read then, the adopted daemon
 * looked like a child the checker had before the launch, started in the same 10 ms tick, and was
 * not the check's: "the pidfile names PID 21 (sleep), which this check did not start" (CI, the
 * start-stop-daemon-chuid fixture under docker, whose dropped privileges hide its marker).
 * launchInScope(), which every check's launch goes through, reads them before the launch.
 *
 * Process-global state: this worker becomes a subreaper (as an in-process check makes it).
 */
const MARKER = 'adopted-before-scope';

/** The sleep `launcherPid` left, once this process has adopted it, waited for synchronously: Node kept off the CPU. */
function adoptedSleepNow(launcherPid: number): number {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const adopted = childrenOf(process.pid)
      .map((child) => processSummary(child))
      .find((p) => p !== null && p.sid === launcherPid && p.name === 'sleep');
    if (adopted) return adopted.pid;
    if (Date.now() > deadline) throw new Error(`the sleep left by ${launcherPid} was not adopted in 10 s`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  }
}

test.runIf(process.platform === 'linux')('a daemon adopted before the launch returns is the check\'s: launchInScope reads the checker\'s own children before the launch', async () => {
  expect(becomeSubreaper()).toBe(true);
  let daemon = 0;
  const { launcher, scope } = launchInScope(MARKER, () => {
    const started = leavingLauncher(`env -u ${MARKER_NAME} /bin/sleep 60`, MARKER);
    started.go();
    daemon = adoptedSleepNow(started.pid);
    return started;
  });
  // Adopted: this process reaps it (the launcher's clean-up kills what is left in its session).
  const exited = reap(daemon);
  onTestFinished(async () => {
    if (processExists(daemon)) kill(daemon, 9);
    await exited;
  });
  expect(scope.launcherPid).toBe(launcher.pid);
  expect(scopeProcesses(scope).map((p) => p.pid)).toContain(daemon);
});
