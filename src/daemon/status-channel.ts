import { StringDecoder } from 'node:string_decoder';
import { closeQuietly, readNow, setNonblock } from '../ffi/libc.js';

/** One line of the readiness pipe. */
export type StatusMessage =
  | { kind: 'pid'; pid: number }
  | { kind: 'ready' }
  | { kind: 'fail'; error: Record<string, unknown> }
  | { kind: 'exit'; status: number }
  | { kind: 'eof' };

/** The first pause between two reads of an empty pipe, and the longest once the wait has gone on. */
const FIRST_PAUSE_MS = 1;
const LONGEST_PAUSE_MS = 16;
/** How long after the last line (or the start) the pauses stay at their first length: the chain's lines come within this on an idle machine. */
const SHORT_PAUSES_FOR_MS = 1000;

/**
 * The original process's end of the readiness pipe. Lines, written by the chain's shells and
 * by the daemon: `pid N` (inner sh, before exec), `ready`, `fail {json}` (a Node daemon),
 * `exit N` (the outer sh, when the daemon exited while it still waited for it).
 *
 * The read end is non-blocking and read on this thread whenever a message is asked for; a wait
 * reads again after a pause of 1 ms, which grows to 16 ms once the pipe has been quiet for a second
 * (a failure is still reported well within issue 14.2's 100 ms). Not node:net: its stream modules
 * are outside Node's start-up snapshot, and loading them cost every start about 6 ms of this
 * thread while the chain started (issue 14.1). Not a blocking read on libuv's pool either: it
 * would hold one of the pool's four threads for the whole readiness wait, and four parallel
 * starts would hold them all, so a file readiness probe (fs on the pool) would wait forever.
 */
export class StatusChannel {
  private readonly chunk = Buffer.alloc(4096);
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  private readonly queue: StatusMessage[] = [];
  private wake: (() => void) | null = null;
  /** When the pipe last gave something (or the channel was made): the pauses grow once it has been quiet a while. */
  private heardAt = Date.now();
  private ended = false;
  private closed = false;

  constructor(private readonly readFd: number) {
    setNonblock(readFd, true);
  }

  /** Next message, or null when the deadline passes first. */
  async next(deadline: number): Promise<StatusMessage | null> {
    for (;;) {
      if (this.closed) return { kind: 'eof' };
      this.readAll();
      const message = this.queue.shift();
      if (message) {
        if (message.kind === 'eof') this.queue.unshift(message); // stays at the end
        return message;
      }
      const now = Date.now();
      if (deadline - now <= 0) return null;
      await this.pause(Math.min(deadline - now, now - this.heardAt < SHORT_PAUSES_FOR_MS ? FIRST_PAUSE_MS : LONGEST_PAUSE_MS));
    }
  }

  /** A message already written, without waiting (used to catch a late `exit`). */
  pending(kind: StatusMessage['kind']): StatusMessage | undefined {
    if (!this.closed) this.readAll();
    return this.queue.find((m) => m.kind === kind);
  }

  /** Closes the read end; a next() still waiting returns `eof` now. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeQuietly(this.readFd);
    this.wake?.();
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  /** Reads what the pipe holds now into the queue; the end of file (or a read error) queues `eof` once. */
  private readAll(): void {
    while (!this.ended) {
      let count: number | null;
      try {
        count = readNow(this.readFd, this.chunk);
      } catch {
        count = 0;
      }
      if (count === null) return;
      this.heardAt = Date.now();
      if (count === 0) {
        this.ended = true;
        this.takeLines(this.decoder.end());
        this.queue.push({ kind: 'eof' });
        return;
      }
      this.takeLines(this.decoder.write(this.chunk.subarray(0, count)));
    }
  }

  private takeLines(text: string): void {
    this.buffer += text;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const message = parse(this.buffer.slice(0, newline));
      this.buffer = this.buffer.slice(newline + 1);
      if (message) this.queue.push(message);
    }
  }
}

function parse(line: string): StatusMessage | null {
  const space = line.indexOf(' ');
  const word = space < 0 ? line : line.slice(0, space);
  const rest = space < 0 ? '' : line.slice(space + 1);
  if (word === 'pid' && /^\d+$/.test(rest)) return { kind: 'pid', pid: Number(rest) };
  if (word === 'ready') return { kind: 'ready' };
  if (word === 'exit' && /^\d+$/.test(rest)) return { kind: 'exit', status: Number(rest) };
  if (word === 'fail') {
    try {
      const value = JSON.parse(rest) as unknown;
      if (value && typeof value === 'object') return { kind: 'fail', error: value as Record<string, unknown> };
    } catch {
      // fall through
    }
    return { kind: 'fail', error: { message: rest || 'the daemon reported a failure' } };
  }
  return null;
}
