import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * Where the command starts (issue 16.1). A user types `check -- python3 mydaemon.py` in the
 * directory that holds the script, so the command starts in the user's working directory and
 * relative arguments work; a daemon still there afterwards kept its caller's directory, which
 * the `cwd` rule fails as inherited. Only when the user's directory is already the expected one
 * (running from `/` under the sysv profile) would staying there pass unseen: then the command
 * starts in a fresh trap directory instead, and a note says so if an argument looks relative.
 */
export type CwdOrigin = 'user' | 'trap';

export interface CallerCwd {
  cwd: string;
  origin: CwdOrigin;
  /** Set when the trap directory was used and an argument names a file of the user's directory. */
  note: string | null;
}

function resolved(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}

/** The arguments that name something in `dir` by a relative path. */
function relativeArguments(command: readonly string[], dir: string): string[] {
  return command.slice(1).filter((arg) => arg !== '' && !isAbsolute(arg) && !arg.startsWith('-') && existsSync(join(dir, arg)));
}

/**
 * Chooses the caller's working directory: `userCwd` (default: this process's) unless it is the
 * expected one, else `trapName` made inside `work` (which must be a resolved path).
 */
export function chooseCallerCwd(options: {
  command: readonly string[];
  expected: string | undefined;
  work: string;
  trapName: string;
  userCwd?: string | undefined;
}): CallerCwd {
  const user = resolved(options.userCwd ?? process.cwd());
  if (options.expected === undefined || resolved(options.expected) !== user) return { cwd: user, origin: 'user', note: null };
  const cwd = join(options.work, options.trapName);
  mkdirSync(cwd);
  const relative = relativeArguments(options.command, user);
  const note =
    relative.length === 0
      ? null
      : `the command ran from a temporary directory (${cwd}), not from ${user}: that is the expected working directory, so a daemon ` +
        `staying there would pass unseen; relative arguments (${relative.join(', ')}) resolve there: give absolute paths, or run the check from another directory`;
  return { cwd, origin: 'trap', note };
}
