import { readFileSync } from 'node:fs';
import type { DoctorCheck } from './types.js';

/** `Umask:` in /proc/PID/status (Linux ≥ 4.7) is the only way to read another process's umask. */
export function probeProcUmask(): DoctorCheck {
  if (process.platform !== 'linux') {
    return {
      id: 'proc-umask',
      status: 'warn',
      title: 'Umask of another process',
      value: null,
      meaning: 'macOS does not show a process\'s umask from outside: the umask rule is reported as skipped (unknown), never guessed.',
      fix: 'Run the check on Linux (a container is enough: --isolation docker) to verify umask.',
    };
  }
  let line: string | undefined;
  try {
    line = readFileSync('/proc/self/status', 'latin1')
      .split('\n')
      .find((l) => l.startsWith('Umask:'));
  } catch {
    line = undefined;
  }
  const value = line ? line.slice('Umask:'.length).trim() : null;
  return {
    id: 'proc-umask',
    status: value ? 'ok' : 'missing',
    title: '`Umask:` in /proc/PID/status',
    value,
    meaning: value
      ? 'The checker reads the daemon\'s umask from /proc: the umask rule is verified.'
      : 'This kernel (< 4.7) does not show a process\'s umask: the umask rule is skipped.',
    fix: value ? null : 'Use Linux 4.7 or later.',
  };
}
