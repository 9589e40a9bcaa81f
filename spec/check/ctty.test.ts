import { describe, expect, test } from 'vitest';
import { ACQUIRE_CTTY_SCRIPT, NO_CTTY_STATUS, slaveOnStdio } from '../../src/check/ctty.js';
import { closeQuietly, reap } from '../../src/ffi/libc.js';
import { openPty } from '../../src/ffi/pty.js';
import { spawn } from '../../src/ffi/spawn.js';

/*
 * The launcher's way to a controlling terminal (src/check/ctty.ts), run on this machine. The
 * pty slave is opened with O_NOCTTY among posix_spawn's file actions: on Linux that reproduces
 * what macOS does to any open there (its file actions run before setsid), so the shell starts
 * without a terminal on both systems and only its own reopen gives it one.
 */

/** Runs `script` in a new session on a fresh pty's slave; exits 0 when /dev/tty opens at the end. */
async function sessionOnPty(script: string): Promise<number | null> {
  const pty = openPty();
  try {
    const pid = spawn({
      path: '/bin/sh',
      argv: ['sh', '-c', `token=t tty=$1\n${script}\nif { true </dev/tty; } 2>/dev/null; then exit 0; else exit 7; fi`, 'sh', pty.slavePath],
      env: { PATH: '/usr/bin:/bin' },
      setsid: true,
      fileActions: slaveOnStdio(pty.slavePath),
      closeOtherFds: true,
    });
    return (await reap(pid)).exitCode;
  } finally {
    closeQuietly(pty.master);
  }
}

describe('acquiring the controlling terminal', () => {
  test('the slave opened by posix_spawn (O_NOCTTY) is not the session\'s controlling terminal', async () => {
    expect(await sessionOnPty(':')).toBe(7);
  });

  test('the session leader acquires it by reopening the slave, and /dev/tty then opens', async () => {
    expect(await sessionOnPty(ACQUIRE_CTTY_SCRIPT)).toBe(0);
  });

  test('a shell that is not a session leader cannot acquire it and says so with its status', async () => {
    const pty = openPty();
    try {
      // No setsid: the shell stays in the test runner's session, where the pty cannot become the terminal.
      const pid = spawn({
        path: '/bin/sh',
        argv: ['sh', '-c', `token=t tty=$1\n${ACQUIRE_CTTY_SCRIPT}\nexit 0`, 'sh', pty.slavePath],
        env: { PATH: '/usr/bin:/bin' },
        pgroup: 0,
        fileActions: slaveOnStdio(pty.slavePath),
        closeOtherFds: true,
      });
      const result = await reap(pid);
      // The runner may itself have a terminal (then /dev/tty opens that one): only a runner without one proves the refusal.
      expect([0, NO_CTTY_STATUS]).toContain(result.exitCode);
    } finally {
      closeQuietly(pty.master);
    }
  });
});
