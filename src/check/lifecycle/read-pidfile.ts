import { readRegularFile } from '../../regular-file.js';

/** A pidfile holds a pid and a newline: what is past this many bytes is not read. */
const PIDFILE_READ_MAX = 4096;

/** The pidfile's bytes as text, or null when it does not exist, cannot be read or is no regular file. */
export function pidfileText(path: string): string | null {
  return readRegularFile(path, PIDFILE_READ_MAX)?.bytes.toString('utf8') ?? null;
}
