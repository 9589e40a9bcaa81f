import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DaemonspecError, usageError } from '../errors.js';

/**
 * `mkdir -p`, one directory at a time from the root. Not mkdirSync's `recursive`: on Node 20 it
 * loops forever, at full CPU, when mkdir(2) answers ENOENT for a directory whose parent exists,
 * as procfs does (/proc/x); here that ENOENT is thrown.
 */
export function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let path = resolve(dir); !existsSync(path); path = dirname(path)) missing.unshift(path);
  for (const path of missing) {
    try {
      mkdirSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // made meanwhile: fine
    }
  }
}

/** Before anything is launched: the report file's directory is made if missing and is writable, the file is no directory. */
export function checkWritableFile(flag: string, file: string): void {
  const dir = dirname(resolve(file));
  try {
    makeDirectories(dir);
    if (!statSync(dir).isDirectory()) throw usageError(`${flag}: ${dir} is not a directory`);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    if (error instanceof DaemonspecError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError(`${flag}: cannot write ${file}: the directory ${dir} cannot be made or written (${code}); give another path`);
  }
  try {
    if (statSync(file).isDirectory()) throw usageError(`${flag}: ${file} is a directory; give a file name`);
  } catch (error) {
    if (error instanceof DaemonspecError) throw error;
  }
}

/**
 * Writes a report file the command was asked for: a path that passed checkWritableFile can still
 * refuse the write (procfs, a full disk, a file made read-only meanwhile), which is then one line
 * naming the flag, not a stack.
 */
export function writeOutputFile(flag: string, file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw usageError(`${flag}: cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); give another path`);
  }
}
