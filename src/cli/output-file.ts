import { accessSync, closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, rmdirSync, statSync, writeSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { plantedBy } from '../daemon/protected-files.js';
import { untrustedSymlink } from '../daemon/protected-symlinks.js';
import { DaemonspecError, usageError } from '../errors.js';
import { clearNonblock } from '../ffi/libc.js';
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
  refuseUntrustedDirectory(flag, file);
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

/** This process's effective uid. */
const euid = (): number => process.geteuid?.() ?? 0;

/**
 * The document already at a report path, to keep sections of: read only when it is a regular file
 * (a FIFO planted there would block the read for good), and not through a symlink another user
 * planted in a shared directory (a root-only file behind it was copied into the report: a
 * review); null when there is none.
 */
export function readOutputFile(file: string): string | null {
  if (untrustedSymlink(file, euid()) !== null) return null;
  return readRegularFile(file, MAX_DOCUMENT_BYTES)?.bytes.toString('utf8') ?? null;
}

/**
 * How a report goes to its path. A regular file, or nothing, is replaced: a new file renamed over
 * the path (replace-file.ts), so a crash leaves the old report or the whole new one; and so is
 * what another user planted in a sticky world-writable directory (their symlink, FIFO or file),
 * never followed nor blocked on. Anything else of the caller's is written through, as a shell's
 * `>` would: `/dev/null`, `/dev/stdout`, a pipe from `>(...)`, their own symlink (replacing
 * `/dev/null` made it a regular file: a review).
 */
function placement(file: string): 'replace' | 'through' {
  let link: Stats;
  try {
    link = lstatSync(file);
  } catch {
    return 'replace';
  }
  if (link.isFile()) return 'replace';
  if (link.isSymbolicLink()) return untrustedSymlink(file, euid()) !== null ? 'replace' : 'through';
  return plantedBy(file, link, [euid()]) !== null ? 'replace' : 'through';
}

/** Writes through the path: truncates a file, or writes to the device or pipe it names (one with no reader: ENXIO, not a hang). */
function writeThrough(file: string, text: string): void {
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NONBLOCK, 0o644);
  try {
    clearNonblock(fd);
    const bytes = Buffer.from(text);
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
  } finally {
    closeSync(fd);
  }
}

/** Refuses a report directory reached through a symlink another user planted in a sticky world-writable directory. */
function refuseUntrustedDirectory(flag: string, file: string): void {
  const bad = untrustedSymlink(dirname(resolve(file)), euid());
  if (bad !== null) {
    throw usageError(`${flag}: refusing ${file}: the symlink ${bad.link} on its way is owned by uid ${bad.owner} in the sticky world-writable directory ${bad.dir}, and could lead the report anywhere: remove the link, or give a path in a directory only you can write`);
  }
}

/**
 * Writes a report file, its directory made if missing and judged again (checkWritableFile's
 * directories are gone by then: another user could have planted a link in their place), and the
 * file placed as placement() says.
 */
function replaceOutputFile(file: string, text: string, flag: string): void {
  makeDirectories(dirname(resolve(file)));
  refuseUntrustedDirectory(flag, file);
  if (placement(file) === 'replace') replaceFile(file, text);
  else writeThrough(file, text);
}

/**
 * Writes a report file the command was asked for, as replaceOutputFile(): a path that passed
 * checkWritableFile can still refuse the write (procfs, a full disk, a directory made read-only
 * meanwhile), which is then one line naming the flag, not a stack.
 */
export function writeOutputFile(flag: string, file: string, text: string): void {
  try {
    replaceOutputFile(file, text, flag);
  } catch (error) {
    if (error instanceof DaemonspecError) throw error;
    throw usageError(`${flag}: cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); give another path`);
  }
}
