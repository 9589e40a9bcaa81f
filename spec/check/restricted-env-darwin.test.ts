import { describe, expect, test, vi } from 'vitest';
import { launchInScope, scopeProcesses } from '../../src/check/adopted.js';
import { MARKER_NAME } from '../../src/check/traps.js';
import { commandLine, envValue, hasEnvMarker, processesWhere } from '../../src/inspect/index.js';
import { leavingLauncher } from './leaving-launcher.js';

/*
 * macOS only (issue 18.5): sysctl KERN_PROCARGS2 leaves out the environment of a CS_RESTRICT
 * target (xnu bsd/kern/kern_sysctl.c sysctl_procargsx(): omit_env_vars unless the target is the
 * caller, not cs_restricted, or the caller holds com.apple.private.read-environment-variables;
 * euid 0 is not among them). Apple's platform binaries such as /bin/sleep are restricted, so a
 * daemon that is one carries the check's marker invisibly: environ() must say "unknown" (null),
 * never "empty", and the checker then finds it by its session instead (src/check/adopted.ts).
 * On Linux /proc/PID/environ shows the same user's environment: nothing to test there.
 */
describe.runIf(process.platform === 'darwin')('a restricted binary\'s environment (macOS: KERN_PROCARGS2 omits it)', () => {
  const MARKER = 'restricted-env-test';

  /** /bin/sleep left behind, adopted by launchd (restricted: its environment is hidden). */
  const launcher = (): { pid: number; go(): void } => leavingLauncher('/bin/sleep 60', MARKER);

  test('environ() of /bin/sleep is unknown (null), not empty, while its argv is readable; an unrestricted process shows its marker', async () => {
    const { pid, go } = launcher();
    go();
    const sleeper = await vi.waitFor(
      () => {
        const found = processesWhere((p) => p.sid === pid && p.pid !== pid && p.name === 'sleep');
        expect(found).toHaveLength(1);
        return found[0]!.pid;
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(commandLine(sleeper)).toEqual(['/bin/sleep', '60']);
    expect(envValue(sleeper, MARKER_NAME)).toBeNull();
    expect(hasEnvMarker(sleeper, MARKER_NAME, MARKER)).toBeNull();
    // This Node is no platform binary: its own environment stays readable (the caller itself, too).
    expect(envValue(process.pid, 'PATH')).toBe(process.env.PATH);
  });

  test('the checker counts a daemon with an unknown marker in a session it knows as its own', async () => {
    const { launcher: { pid, go }, scope } = launchInScope(MARKER, launcher);
    go();
    const found = await vi.waitFor(
      () => {
        // Counted once orphaned (its parent, the launcher, gone), as a daemon is.
        const ours = scopeProcesses(scope).filter((p) => p.name === 'sleep');
        expect(ours).toHaveLength(1);
        return ours[0]!;
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(found.sid).toBe(pid);
    expect(envValue(found.pid, MARKER_NAME)).toBeNull(); // found by its session, not by its marker
    // A scope of another check (another marker, another launcher session) does not claim it.
    const { scope: other } = launchInScope('another-check', () => ({ pid: process.pid }));
    expect(scopeProcesses(other).some((p) => p.pid === found.pid)).toBe(false);
  });
});
