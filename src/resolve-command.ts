import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { DaemonspecError, usageError, type DaemonspecErrorCode } from './errors.js';

/** Where a command name with no slash is searched when PATH is unset. */
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

/**
 * Finds a command like a shell does (a name with no slash is searched in PATH; a path with one is
 * taken relative to the cwd) and checks it can be executed. The one resolution of the daemonizer
 * (`code` EEXEC) and the checker (ECHECK): the same answer and message for the same command.
 */
export function resolveCommand(command: string, pathVar: string | undefined, code: Extract<DaemonspecErrorCode, 'EEXEC' | 'ECHECK'> = 'EEXEC'): string {
  if (command === '') throw usageError('the command is empty: give a program to run, e.g. `daemonspec run -- /usr/bin/sleep 300`');
  const candidates = command.includes('/')
    ? [resolve(command)]
    : (pathVar ?? DEFAULT_PATH).split(delimiter).map((dir) => resolve(join(dir || '.', command)));
  let seen: string | null = null;
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue;
      seen = candidate;
      accessSync(candidate, constants.X_OK);
    } catch {
      continue; // not here, or not executable
    }
    checkInterpreter(candidate, code);
    return candidate;
  }
  if (seen !== null) {
    throw new DaemonspecError(code, `${seen} is not executable: run \`chmod +x ${seen}\` or start it through its interpreter`, {
      path: seen,
      errno: 'EACCES',
    });
  }
  throw new DaemonspecError(
    code,
    command.includes('/')
      ? `command not found: ${resolve(command)} does not exist or is not a file`
      : `command not found: ${command} is not in PATH; give its absolute path`,
    { path: command, errno: 'ENOENT' },
  );
}

/** The interpreter a `#!` line names (its first word), or null: no `#!`, unreadable, or not an absolute path. */
function interpreterOf(path: string): string | null {
  let head: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      head = Buffer.alloc(256);
      head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  if (head[0] !== 0x23 || head[1] !== 0x21) return null;
  const word = /^[ \t]*(\S+)/.exec(head.subarray(2).toString('latin1').split('\n')[0]!)?.[1];
  return word !== undefined && word.startsWith('/') ? word : null;
}

/**
 * A script whose `#!` line names an interpreter that is missing or not executable is refused
 * before anything starts: its exec failed in the start's chain (status 127), exit 1, after the
 * start had begun (a new user's probe).
 */
function checkInterpreter(script: string, code: Extract<DaemonspecErrorCode, 'EEXEC' | 'ECHECK'>): void {
  const interpreter = interpreterOf(script);
  if (interpreter === null) return;
  let problem: string | null = null;
  try {
    if (!statSync(interpreter).isFile()) problem = 'which is not a file: fix the line';
    else accessSync(interpreter, constants.X_OK);
  } catch (error) {
    problem =
      (error as NodeJS.ErrnoException).code === 'EACCES'
        ? `which is not executable: run \`chmod +x ${interpreter}\`, or fix the line`
        : 'which does not exist: install it, or fix the line';
  }
  if (problem !== null) throw new DaemonspecError(code, `${script}'s #! line names ${interpreter}, ${problem}`, { path: script, errno: 'ENOENT' });
}
