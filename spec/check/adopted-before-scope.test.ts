import { expect, onTestFinished, test, vi } from 'vitest';
import { checkScope, ownChildren, scopeProcesses } from '../../src/check/adopted.js';
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
 * start-stop-daemon-chuid fixture under docker, whose dropped privileges hide its marker). The
 * checker's own children are read before the launch, and the scope keeps that list.
 *
 * Process-global state: this worker becomes a subreaper (as an in-process check makes it).
 */
const MARKER = 'adopted-before-scope';

/** The sleep left by `launcherPid`, once this process has adopted it; killed and reaped at the end. */
async function adoptedSleep(launcherPid: number): Promise<number> {
  const pid = await vi.waitFor(
    () => {
      const adopted = childrenOf(process.pid)
        .map((child) => processSummary(child))
        .find((p) => p !== null && p.sid === launcherPid && p.name === 'sleep');
      expect(adopted).toBeDefined();
      return adopted!.pid;
    },
    { timeout: 10_000, interval: 20 },
  );
  // Adopted: this process reaps it (the launcher's clean-up kills what is left in its session).
  const exited = reap(pid);
  onTestFinished(async () => {
    if (processExists(pid)) kill(pid, 9);
    await exited;
  });
  return pid;
}

test.runIf(process.platform === 'linux')('a daemon adopted before the scope is made is the check\'s: the checker\'s own children are those from before the launch', async () => {
  expect(becomeSubreaper()).toBe(true);
  const before = ownChildren(process.pid);
  const { pid, go } = leavingLauncher(`env -u ${MARKER_NAME} /bin/sleep 60`, MARKER);
  go();
  const daemon = await adoptedSleep(pid);
  // The scope made only now, as when Node was kept off the CPU until the daemon was adopted.
  const scope = checkScope(pid, MARKER, before);
  expect(scopeProcesses(scope).map((p) => p.pid)).toContain(daemon);
  // Read now instead, the adopted daemon would pass for one of the checker's own children.
  const late = checkScope(pid, MARKER, ownChildren(process.pid));
  expect(scopeProcesses(late).map((p) => p.pid)).not.toContain(daemon);
});
