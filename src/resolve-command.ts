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

/**
 * The interpreter a `#!` line names, as the kernel reads it: the bytes after `#!` and any blanks,
 * up to a space, a tab, a NUL or the end of the line (a `\r` of a CRLF line stays in the name);
 * null when there is no `#!`, the file cannot be read, or the name is not an absolute path.
 */
function interpreterOf(path: string): Buffer | null {
  const head = Buffer.alloc(256);
  let length: number;
  try {
    const fd = openSync(path, 'r');
    try {
      length = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  if (length < 3 || head[0] !== 0x23 || head[1] !== 0x21) return null;
  const blank = (byte: number): boolean => byte === 0x20 || byte === 0x09;
  let from = 2;
  while (from < length && blank(head[from]!)) from++;
  let to = from;
  while (to < length && !blank(head[to]!) && head[to] !== 0x00 && head[to] !== 0x0a) to++;
  return to > from && head[from] === 0x2f ? Buffer.from(head.subarray(from, to)) : null;
}

/**
 * A script whose `#!` line names an interpreter that is missing or not executable is refused
 * before anything starts: its exec failed in the start's chain (status 127), exit 1, after the
 * start had begun (a new user's probe). The name is tested as the bytes the kernel will use.
 */
function checkInterpreter(script: string, code: Extract<DaemonspecErrorCode, 'EEXEC' | 'ECHECK'>): void {
  const interpreter = interpreterOf(script);
  if (interpreter === null) return;
  const name = interpreter.toString('utf8');
  let problem: string;
  let errno: string;
  try {
    if (statSync(interpreter).isFile()) {
      accessSync(interpreter, constants.X_OK);
      return;
    }
    [problem, errno] = ['which is not a file: fix the line', 'EACCES'];
  } catch (error) {
    errno = (error as NodeJS.ErrnoException).code ?? 'ENOENT';
    problem =
      errno === 'EACCES'
        ? `which is not executable: run \`chmod +x ${name}\`, or fix the line`
        : name.endsWith('\r')
          ? 'which does not exist: the script has CRLF line endings, and the kernel keeps the \\r in the name; convert it (dos2unix)'
          : 'which does not exist: install it, or fix the line';
  }
  throw new DaemonspecError(code, `${script}'s #! line names ${JSON.stringify(name).slice(1, -1)}, ${problem}`, { path: script, errno });
}
