import { lstatSync, rmSync } from 'node:fs';
import { DaemonspecError } from '../errors.js';

/**
 * A pidfile that exists before the launch would count as readiness evidence and name a process
 * of an earlier run (or any process): refuse, rather than guess which content is new.
 */
export function refuseStalePidfile(path: string | undefined): void {
  if (path === undefined) return;
  let directory: boolean;
  try {
    directory = lstatSync(path).isDirectory();
  } catch {
    return;
  }
  const message = directory
    ? `the pidfile path ${path} is a directory: give the path of the file the daemon writes`
    : `the pidfile ${path} exists before the check: remove the stale pidfile ${path} first`;
  throw new DaemonspecError('EUSAGE', message, { path });
}

/**
 * The pidfile did not exist before the check (refused above): whatever is at its path now was
 * made during the check, by the command. It is removed (docs/cli.md: "removed after it"), so the
 * next check (and the next --repeat run) starts clean: a file naming any pid (PID 1 too: the
 * file is removed, the process is never signalled), a symlink, or a directory the command made
 * there. Never throws: a path that cannot be removed is a note, and the report is kept.
 */
export function removeRunPidfile(path: string | undefined): string[] {
  if (path === undefined) return [];
  let kind: string;
  try {
    const stat = lstatSync(path);
    kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : stat.isSymbolicLink() ? 'symlink' : 'special file';
  } catch {
    return [];
  }
  try {
    rmSync(path, { recursive: true, force: true });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return [`the pidfile path ${path} (a ${kind} the command left) could not be removed: ${why}; remove it before the next check`];
  }
  return kind === 'file' ? [] : [`the pidfile path ${path} was a ${kind} after the check (not a pidfile); removed`];
}
