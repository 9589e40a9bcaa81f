import { unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeQuietly } from '../ffi/libc.js';
import { bindDatagram, receiveDatagram, sendDatagram, waitReadable } from '../ffi/socket.js';
import { randomHex } from '../random-hex.js';

/** The listening side of sd_notify, for `--notify`. */
export interface NotifySocket {
  /** The NOTIFY_SOCKET value for the daemon. */
  address: string;
  /** Resolves on READY=1, ERRNO=, or the deadline. */
  waitReady(deadline: number): Promise<{ result: 'ready' } | { result: 'errno'; errno: number; status?: string } | { result: 'timeout' }>;
  close(): void;
}

/** Splits `READY=1\nSTATUS=...` into its variables, the last value of each; a line without `=` is ignored, as sd_notify's receivers do. */
export function notifyFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) fields[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return fields;
}

export function openNotifySocket(): NotifySocket {
  const name = `daemonspec-notify-${process.pid}-${randomHex(6)}`;
  const address = process.platform === 'linux' ? `@${name}` : join(tmpdir(), name);
  const fd = bindDatagram(address);
  let closed = false;
  return {
    address,
    async waitReady(deadline) {
      let status: string | undefined;
      while (!closed) {
        const left = deadline - Date.now();
        if (left <= 0) return { result: 'timeout' };
        if (!(await waitReadable(fd, Math.min(left, 100)))) continue;
        if (closed) break;
        let message: string | null;
        while ((message = receiveDatagram(fd)) !== null) {
          const fields = notifyFields(message);
          if (fields.STATUS !== undefined) status = fields.STATUS;
          if (fields.ERRNO !== undefined) return { result: 'errno', errno: Number(fields.ERRNO), ...(status ? { status } : {}) };
          if (fields.READY === '1') return { result: 'ready' };
        }
      }
      return { result: 'timeout' };
    },
    close() {
      if (closed) return;
      closed = true;
      // a poll still running on a worker thread returns within 100 ms; the fd number is not reused meanwhile by us
      setTimeout(() => closeQuietly(fd), 150).unref();
      if (!address.startsWith('@')) {
        try {
          unlinkSync(address);
        } catch {
          // gone
        }
      }
    },
  };
}

/** sd_notify from a daemon: a no-op without NOTIFY_SOCKET. */
export function sdNotify(message: string): boolean {
  const address = process.env.NOTIFY_SOCKET;
  if (!address) return false;
  sendDatagram(address, message);
  return true;
}
