import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { O } from '../../ffi/constants.js';
import type { LogFile } from '../stdio.js';

/** A line longer than this is matched on its last MAX_LINE characters. */
const MAX_LINE = 64 * 1024;

/** Reads what the daemon appends to one log, from where it was at the start, line by line. */
export class LogReader {
  private offset: number;
  private partial = '';
  /** Holds the bytes of a character a read ended inside, until the rest is written. */
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly log: LogFile) {
    this.offset = log.startSize;
  }

  /** The lines written since the last call; the last one may be incomplete (it is matched again when it grows). */
  lines(): string[] {
    let fd: number;
    try {
      fd = openSync(this.log.path, O.RDONLY | O.NONBLOCK);
    } catch {
      return [];
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return this.partial === '' ? [] : [this.partial];
      const buffer = Buffer.alloc(size - this.offset);
      const read = readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset += read;
      const text = this.partial + this.decoder.write(buffer.subarray(0, read));
      const lines = text.split('\n');
      this.partial = lines.pop()!.slice(-MAX_LINE);
      return [...lines, this.partial].filter((line) => line !== '');
    } finally {
      closeSync(fd);
    }
  }
}
