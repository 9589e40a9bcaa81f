import { accessSync, constants, existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { untrustedSymlink } from '../daemon/protected-symlinks.js';
import { DaemonspecError, usageError } from '../errors.js';
import { readRegularFile } from '../regular-file.js';
import { replaceFile } from '../replace-file.js';

/**
 * `mkdir -p`, one directory at a time from the root; `made` gets those it made. Not mkdirSync's
 * `recursive`: on Node 20 it loops forever, at full CPU, when mkdir(2) answers ENOENT for a
 * directory whose parent exists, as procfs does (/proc/x); here that ENOENT is thrown.
 */
export function makeDirectories(dir: string, made: string[] = []): string[] {
  const missing: string[] = [];
  for (let path = resolve(dir); !existsSync(path); path = dirname(path)) missing.unshift(path);
  for (const path of missing) {
    try {
      mkdirSync(path);
      made.push(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // made meanwhile: fine
    }
  }
  return made;
}

/** Removes the directories makeDirectories() made, deepest first, those still empty. */
function removeDirectories(made: readonly string[]): void {
  for (const path of [...made].reverse()) {
    try {
      rmdirSync(path);
    } catch {
      // something was put there meanwhile, or it is gone: leave it
    }
  }
}

/**
 * Before anything is launched: the report file's directory is reached through no symlink another
 * user planted in a sticky world-writable directory (the kernel's protected_symlinks rule, as for
 * logs), can be made if missing and is writable, and the file is no directory.
 */
export function checkWritableFile(flag: string, file: string): void {
  const dir = dirname(resolve(file));
  const bad = untrustedSymlink(dir, process.geteuid?.() ?? 0);
  if (bad !== null) {
    throw usageError(`${flag}: refusing ${file}: the symlink ${bad.link} on its way is owned by uid ${bad.owner} in the sticky world-writable directory ${bad.dir}, and could lead the report anywhere: remove the link, or give a path in a directory only you can write`);
  }
  // Made to prove it can be, then removed again: a command refused later (or interrupted) leaves
  // no directory behind (a new user's probe); the report's write makes it for good.
  const made: string[] = [];
  try {
    makeDirectories(dir, made);
    if (!statSync(dir).isDirectory()) throw usageError(`${flag}: ${dir} is not a directory`);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    if (error instanceof DaemonspecError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError(`${flag}: cannot write ${file}: the directory ${dir} cannot be made or written (${code}); give another path`);
  } finally {
    removeDirectories(made);
  }
  try {
    if (statSync(file).isDirectory()) throw usageError(`${flag}: ${file} is a directory; give a file name`);
  } catch (error) {
    if (error instanceof DaemonspecError) throw error;
  }
}

/** The largest document a report file is read back at (the matrix keeps sections of the previous one). */
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

/**
 * The document already at a report path, to keep sections of: read only when it is a regular file
 * (a FIFO planted there would block the read for good); null when there is none.
 */
export function readOutputFile(file: string): string | null {
  return readRegularFile(file, MAX_DOCUMENT_BYTES)?.bytes.toString('utf8') ?? null;
}

/**
 * Writes a report file, its directory made if missing: a new file renamed over the path
 * (replace-file.ts), so that a symlink or FIFO a neighbour planted there is replaced, not
 * followed nor blocked on, and a crash leaves the old report or the whole new one.
 */
export function replaceOutputFile(file: string, text: string): void {
  makeDirectories(dirname(resolve(file)));
  replaceFile(file, text);
}

/**
 * Writes a report file the command was asked for, as replaceOutputFile(): a path that passed
 * checkWritableFile can still refuse the write (procfs, a full disk, a directory made read-only
 * meanwhile), which is then one line naming the flag, not a stack.
 */
export function writeOutputFile(flag: string, file: string, text: string): void {
  try {
    replaceOutputFile(file, text);
  } catch (error) {
    throw usageError(`${flag}: cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); give another path`);
  }
}
