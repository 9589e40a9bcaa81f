import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { DaemonspecError } from '../../errors.js';
import { O } from '../../ffi/constants.js';
import type { StartPlan } from '../start-plan.js';
import type { LogFile } from '../stdio.js';
import type { ReadinessContext, ReadinessStrategy } from './strategy.js';
import { pollAfterExec } from './watch.js';

const INTERVAL_MS = 20;
/** A line longer than this is matched on its last MAX_LINE characters. */
const MAX_LINE = 64 * 1024;

/** What a log will be: a regular file (one to be created is), or something whose lines cannot be read back. */
function isFileLog(path: string): boolean {
  try {
    return !existsSync(path) || statSync(path).isFile();
  } catch {
    return true; // unreadable here: opening it gives the error
  }
}

/** Reads what the daemon appends to one log, from where it was at the start, line by line. */
class LogReader {
  private offset: number;
  private partial = '';

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
      const text = this.partial + buffer.subarray(0, read).toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop()!.slice(-MAX_LINE);
      return [...lines, this.partial].filter((line) => line !== '');
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * `--ready-log`: ready once a line that the daemon writes to its stdout or stderr file after the
 * start matches the pattern (lines written before the start do not count). Needs one of them to
 * be a file.
 */
export function logReadiness(plan: StartPlan, pattern: RegExp): ReadinessStrategy {
  return {
    hint: ` (write a line matching ${pattern} to its --stdout or --stderr file)`,
    async before(): Promise<void> {
      if (![plan.stdout, plan.stderr].some((path) => path !== '/dev/null' && isFileLog(path))) {
        throw new DaemonspecError('EUSAGE', `--ready-log reads the daemon's output from its log file: pass --stdout FILE or --stderr FILE (a regular file)`);
      }
    },
    async waitReady(ctx: ReadinessContext): Promise<void> {
      const readers = ctx.logs.filter((log) => log.regular).map((log) => new LogReader(log));
      await pollAfterExec(ctx, () => readers.some((reader) => reader.lines().some((line) => pattern.test(line))), INTERVAL_MS);
    },
  };
}
