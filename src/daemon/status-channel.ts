import type { Socket } from 'node:net';
import { netModule } from '../builtins-on-use.js';

/** One line of the readiness pipe. */
export type StatusMessage =
  | { kind: 'pid'; pid: number }
  | { kind: 'ready' }
  | { kind: 'fail'; error: Record<string, unknown> }
  | { kind: 'exit'; status: number }
  | { kind: 'eof' };

/**
 * The original process's end of the readiness pipe. Lines, written by the chain's shells and
 * by the daemon: `pid N` (inner sh, before exec), `ready`, `fail {json}` (a Node daemon),
 * `exit N` (the outer sh, when the daemon exited while it still waited for it).
 */
export class StatusChannel {
  private readonly socket: Socket;
  private buffer = '';
  private readonly queue: StatusMessage[] = [];
  private waiter: (() => void) | null = null;
  private ended = false;
  private closed = false;

  constructor(readFd: number) {
    this.socket = new (netModule().Socket)({ fd: readFd, readable: true, writable: false });
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        const message = parse(line);
        if (message) this.push(message);
      }
    });
    const end = (): void => {
      if (this.ended) return;
      this.ended = true;
      this.push({ kind: 'eof' });
    };
    this.socket.on('end', end);
    this.socket.on('close', end);
    this.socket.on('error', end);
  }

  private push(message: StatusMessage): void {
    this.queue.push(message);
    this.waiter?.();
  }

  /** Next message, or null when the deadline passes first. */
  async next(deadline: number): Promise<StatusMessage | null> {
    for (;;) {
      if (this.closed) return { kind: 'eof' };
      const message = this.queue.shift();
      if (message) {
        if (message.kind === 'eof') this.queue.unshift(message); // stays at the end
        return message;
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = null;
          resolve();
        }, left);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = null;
          resolve();
        };
      });
    }
  }

  /** A message already received, without waiting (used to catch a late `exit`). */
  pending(kind: StatusMessage['kind']): StatusMessage | undefined {
    return this.queue.find((m) => m.kind === kind);
  }

  /** Closes the read end; a next() still waiting returns `eof` now (its timer must not keep Node alive). */
  close(): void {
    this.closed = true;
    this.socket.destroy();
    this.waiter?.();
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
