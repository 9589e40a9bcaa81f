import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { checkScope, ownChildren, scopeProcesses } from '../../src/check/adopted.js';
import { MARKER_NAME } from '../../src/check/traps.js';
import { O } from '../../src/ffi/constants.js';
import { closeQuietly, kill, pipe, processExists, reap } from '../../src/ffi/libc.js';
import { spawn } from '../../src/ffi/spawn.js';
import { commandLine, envValue, hasEnvMarker, processesWhere } from '../../src/inspect/index.js';

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

  /** A session leader, /bin/sh, that waits for EOF on stdin, then leaves /bin/sleep behind and exits. */
  function launcher(): { pid: number; go(): void } {
    const [readFd, writeFd] = pipe();
    const pid = spawn({
      path: '/bin/sh',
      argv: ['sh', '-c', 'read _; /bin/sleep 60 </dev/null >/dev/null 2>&1 & exit 0'],
      env: { PATH: '/usr/bin:/bin', [MARKER_NAME]: MARKER },
      setsid: true,
      closeOtherFds: true,
      fileActions: [
        { op: 'dup2', from: readFd, to: 0 },
        { op: 'open', fd: 1, path: '/dev/null', flags: O.WRONLY },
        { op: 'dup2', from: 1, to: 2 },
      ],
    });
    closeQuietly(readFd);
    const exited = reap(pid);
    let open = true;
    const go = (): void => {
      if (open) closeQuietly(writeFd);
      open = false;
    };
    onTestFinished(async () => {
      go();
      if (processExists(pid)) kill(pid, 9);
      await exited;
      // The sleeper, adopted by launchd: everything left in the launcher's session.
      for (const p of processesWhere((q) => q.sid === pid && q.pid !== pid)) kill(p.pid, 9);
    });
    return { pid, go };
  }

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
    const before = ownChildren(process.pid);
    const { pid, go } = launcher();
    const scope = checkScope(pid, MARKER, before);
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
    const other = checkScope(process.pid, 'another-check', before);
    expect(scopeProcesses(other).some((p) => p.pid === found.pid)).toBe(false);
  });
});
