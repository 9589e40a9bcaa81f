import { writeSync } from 'node:fs';
import { O } from '../ffi/constants.js';
import { closeQuietly, pipe } from '../ffi/libc.js';
import { currentOs } from '../ffi/platform.js';
import { spawn } from '../ffi/spawn.js';

/*
 * What cleans up after a `check`, `fuzz` or `matrix` killed with SIGKILL (or the OOM killer),
 * which runs no handler: the daemon under check and the checker's temporary directories were left
 * behind (an adversarial probe; a later check refused the pidfile the daemon still held). A small
 * sh started in a session of its own (a Ctrl-C to the terminal's group does not reach it) reads a
 * pipe only the checker writes: the tags handed to its checks (scope-tag.ts) and the temporary
 * directories it makes, one per line, then `end` when the command ends by itself. An end of file
 * without `end` means the checker died: the sh SIGKILLs every process carrying one of those tags
 * (read from /proc/PID/limits: the tag is a soft RLIMIT_MSGQUEUE, which a daemon keeps through
 * fork, exec, setsid and a change of user) and removes the directories. Linux only: macOS has no
 * tag to find the processes by.
 */

const SCRIPT = `tags= dirs=
while IFS= read -r line; do
  case $line in
    end) exit 0 ;;
    't '*) tags="$tags|\${line#t }" ;;
    'd '*) dirs="$dirs
\${line#d }" ;;
  esac
done
if [ -n "$tags" ]; then
  for pass in 1 2 3 4 5; do
    for f in $(grep -lE "^Max msgqueue size +(\${tags#|}) " /proc/[0-9]*/limits 2>/dev/null); do
      pid=\${f#/proc/}
      kill -KILL "\${pid%/limits}" 2>/dev/null
    done
    sleep 0.1
  done
fi
printf '%s\\n' "$dirs" | while IFS= read -r dir; do
  [ -n "$dir" ] && rm -rf -- "$dir"
done
`;

/** The checker's end of the pipe to its caretaker, or -1 when none runs. */
let toCaretaker = -1;
/** The caretaker's pid, or -1. */
let caretaker = -1;

/** The caretaker's pid (not one of the processes a check started), or -1 when none runs. */
export function caretakerPid(): number {
  return caretaker;
}

/** Starts the caretaker if none runs (Linux; elsewhere nothing). */
export function startCaretaker(): void {
  if (toCaretaker >= 0 || currentOs() !== 'linux') return;
  const [read, write] = pipe();
  try {
    caretaker = spawn({
      path: '/bin/sh',
      argv: ['daemonspec-caretaker', '-c', SCRIPT],
      env: { PATH: '/usr/bin:/bin' },
      fileActions: [
        { op: 'dup2', from: read, to: 0 },
        { op: 'open', fd: 1, path: '/dev/null', flags: O.WRONLY },
        { op: 'open', fd: 2, path: '/dev/null', flags: O.WRONLY },
      ],
      cwd: '/',
      setsid: true,
      blockedSignals: [],
      defaultSignals: 'all',
      closeOtherFds: true,
    });
    toCaretaker = write;
  } catch (error) {
    closeQuietly(write);
    throw error;
  } finally {
    closeQuietly(read);
  }
}

/** Tells the caretaker one line; nothing when none runs, or when it is gone (EPIPE). */
function tell(line: string): void {
  if (toCaretaker < 0) return;
  try {
    writeSync(toCaretaker, `${line}\n`);
  } catch {
    closeQuietly(toCaretaker);
    toCaretaker = -1;
  }
}

/** A tag handed to a check: its processes are killed should the checker die. */
export function caretakerTag(tag: number): void {
  tell(`t ${tag}`);
}

/** A temporary directory made: removed should the checker die. A name with a line break is not passed on. */
export function caretakerDir(path: string): void {
  if (!path.includes('\n')) tell(`d ${path}`);
}

/** The command ends by itself (it cleaned up, or its interrupt handler did): the caretaker exits. */
export function dismissCaretaker(): void {
  tell('end');
  closeQuietly(toCaretaker);
  toCaretaker = -1;
}
