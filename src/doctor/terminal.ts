import { ACQUIRE_CTTY_SCRIPT, slaveOnStdio } from '../check/ctty.js';
import { closeQuietly, kill, reap, type WaitResult } from '../ffi/libc.js';
import { SIGNALS } from '../ffi/constants.js';
import { openPty, type Pty } from '../ffi/pty.js';
import { spawn } from '../ffi/spawn.js';
import type { DoctorCheck } from './types.js';

const FIX = 'Mount devpts (/dev/pts) and make /dev/ptmx available; in docker it is there by default, in a chroot: mount -t devpts devpts /dev/pts.';

/**
 * Starts a session leader on the slave exactly as the checker's launcher is started (ctty.ts)
 * and waits for its verdict: exit 0 when /dev/tty opened after it acquired the pty, i.e. when
 * it really had a controlling terminal. An open that works is not enough: on macOS the
 * posix_spawn file actions run before setsid, and a pty opened there never becomes one.
 */
async function acquireOnce(pty: Pty, timeoutMs: number): Promise<WaitResult | null> {
  const pid = spawn({
    path: '/bin/sh',
    argv: ['daemonspec-doctor-pty', '-c', `token=doctor tty=$1\n${ACQUIRE_CTTY_SCRIPT}\nexit 0`, 'daemonspec-doctor-pty', pty.slavePath],
    env: { PATH: '/usr/bin:/bin' },
    setsid: true,
    fileActions: slaveOnStdio(pty.slavePath),
    closeOtherFds: true,
  });
  const exited = reap(pid);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  const result = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (result !== null) return result;
  kill(pid, SIGNALS.SIGKILL);
  await exited;
  return null;
}

/** The checker launches every command from a fresh pseudo-terminal, as a login shell would. */
export async function probePty(timeoutMs = 10_000): Promise<DoctorCheck> {
  const base = { id: 'pty' as const, title: 'Pseudo-terminals (posix_openpt, controlling terminal)' };
  let pty: Pty;
  try {
    pty = openPty();
  } catch (error) {
    return {
      ...base,
      status: 'missing',
      value: null,
      meaning: `No pseudo-terminal could be opened (${(error as Error).message}): \`daemonspec check\` cannot run here.`,
      fix: FIX,
    };
  }
  try {
    const result = await acquireOnce(pty, timeoutMs);
    if (result?.exitCode === 0) {
      return {
        ...base,
        status: 'ok',
        value: pty.slavePath,
        meaning: 'A new session leader acquired a fresh pty as its controlling terminal (/dev/tty opened in it): the checker can launch commands from a real terminal and hang it up (no-controlling-tty, survives-hangup).',
        fix: null,
      };
    }
    const how = result === null ? `did not finish in ${timeoutMs} ms` : result.signal !== null ? `died of signal ${result.signal}` : `exited ${result.exitCode}`;
    return {
      ...base,
      status: 'missing',
      value: null,
      meaning: `A pty opened (${pty.slavePath}), but a new session leader could not make it its controlling terminal (the probe ${how}): the terminal rules of \`daemonspec check\` would pass for any command.`,
      fix: 'Report this with `daemonspec doctor --json` attached; meanwhile judge no-controlling-tty and survives-hangup by hand.',
    };
  } finally {
    closeQuietly(pty.master);
  }
}
