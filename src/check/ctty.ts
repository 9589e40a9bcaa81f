import { O } from '../ffi/constants.js';
import type { FileAction } from '../ffi/spawn.js';

/*
 * How a spawned session leader gets a pty as its controlling terminal, one path for Linux and
 * macOS.
 *
 * posix_spawn cannot do it on macOS: xnu's posix_spawn (bsd/kern/kern_exec.c, xnu-11417.101.15,
 * posix_spawn()) runs exec_handle_file_actions() before setsid_internal() for
 * POSIX_SPAWN_SETSID, so an open of the slave among the file actions happens while the child is
 * not yet a session leader, and setsid then leaves it without a terminal. glibc runs the file
 * actions after setsid, which is why opening the slave there used to be enough.
 *
 * So the slave is opened with O_NOCTTY among the file actions on both systems, and the session
 * leader (the shell) acquires it itself by reopening it without O_NOCTTY: xnu's open1()
 * (bsd/vfs/vfs_syscalls.c) calls TIOCSCTTY on the first tty open without O_NOCTTY by a process
 * without P_CONTROLT, and Linux's tty_open_proc_set_tty() does the same for a session leader
 * with no terminal opening it with read access. Then it proves the result: /dev/tty opens
 * exactly when the process has a controlling terminal (ENXIO otherwise, both systems:
 * xnu bsd/kern/tty_tty.c cttyopen(), Linux tty_open_current_tty()).
 */

/** Exit status of a shell whose session could not acquire the terminal. */
export const NO_CTTY_STATUS = 125;

/** The word the shell prints after its token when it has no controlling terminal. */
export const NO_CTTY_WORD = 'ctty=none';

/**
 * Shell lines that make the pty named by `$tty` the controlling terminal of the shell (a session
 * leader) and its fds 0-2, or print `$token ctty=none` and exit NO_CTTY_STATUS.
 */
export const ACQUIRE_CTTY_SCRIPT = [
  'exec 0<>"$tty" 1>&0 2>&0',
  // `true`, not `:`: a failed redirection on a special builtin makes a POSIX shell (dash) exit at once.
  `{ true </dev/tty; } 2>/dev/null || { printf '\\n%s ${NO_CTTY_WORD}\\n' "$token"; exit ${NO_CTTY_STATUS}; }`,
].join('\n');

/** The spawn file actions that put the slave on fds 0-2 without making it the controlling terminal. */
export function slaveOnStdio(slavePath: string): FileAction[] {
  return [
    // O_NOCTTY on both systems: the shell acquires the terminal itself (ACQUIRE_CTTY_SCRIPT).
    { op: 'open', fd: 0, path: slavePath, flags: O.RDWR | O.NOCTTY },
    { op: 'dup2', from: 0, to: 1 },
    { op: 'dup2', from: 0, to: 2 },
  ];
}
