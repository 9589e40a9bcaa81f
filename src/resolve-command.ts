import { accessSync, constants, statSync } from 'node:fs';
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
      return candidate;
    } catch {
      // not here, or not executable
    }
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
