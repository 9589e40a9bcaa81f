import { statSync } from 'node:fs';
import { readRegularFile } from '../regular-file.js';

/** The most of a log the checker reads (a log is judged by what the daemon wrote as it started). */
const LOG_READ_MAX = 64 * 1024 * 1024;

/**
 * Where a log file stood just before the command was launched: readiness and expected-log
 * regexes apply only to what was written after that point, never to lines left by an earlier
 * run (which would make a plain failure pass, or flip between runs of --repeat).
 */
export interface LogWindow {
  path: string | undefined;
  /** Identity and size before the launch; null: there was no such file. */
  before: { device: number; inode: number; size: number } | null;
}

export function logWindow(path: string | undefined): LogWindow {
  if (path === undefined) return { path, before: null };
  try {
    const s = statSync(path);
    return { path, before: { device: s.dev, inode: s.ino, size: s.size } };
  } catch {
    return { path, before: null };
  }
}

/**
 * The bytes written since the launch (up to absolute offset `end` when given; `null`: nothing),
 * or null when the file does not exist. A file replaced or truncated since is read from its start.
 */
export function readLogWindow(window: LogWindow, end?: number | null): string | null {
  if (window.path === undefined || end === null) return null;
  // The identity is the read file's own (one open): a file replaced in between cannot be mixed up.
  const read = readRegularFile(window.path, LOG_READ_MAX);
  if (read === null) return null;
  const { bytes: text, stat } = read;
  const { before } = window;
  const sameFile = before !== null && before.device === stat.dev && before.inode === stat.ino && text.length >= before.size;
  const start = sameFile ? before.size : 0;
  const stop = end === undefined ? text.length : Math.max(start, Math.min(end, text.length));
  return text.subarray(start, stop).toString('utf8');
}
