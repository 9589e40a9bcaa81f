import { closeQuietly } from '../ffi/libc.js';
import { openPty } from '../ffi/pty.js';
import type { DoctorCheck } from './types.js';

/** The checker launches every command from a fresh pseudo-terminal, as a login shell would. */
export function probePty(): DoctorCheck {
  const base = { id: 'pty' as const, title: 'Pseudo-terminals (posix_openpt)' };
  try {
    const pty = openPty();
    closeQuietly(pty.master);
    return {
      ...base,
      status: 'ok',
      value: pty.slavePath,
      meaning: 'The checker can launch commands from a real terminal and hang it up (no-controlling-tty, survives-hangup).',
      fix: null,
    };
  } catch (error) {
    return {
      ...base,
      status: 'missing',
      value: null,
      meaning: `No pseudo-terminal could be opened (${(error as Error).message}): \`daemonspec check\` cannot run here.`,
      fix: 'Mount devpts (/dev/pts) and make /dev/ptmx available; in docker it is there by default, in a chroot: mount -t devpts devpts /dev/pts.',
    };
  }
}
