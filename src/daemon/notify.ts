import { unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { senderCredentials, type ReceivedDatagram } from '../ffi/datagram-sender.js';
import { closeQuietly } from '../ffi/libc.js';
import { bindDatagram, sendDatagram, waitReadable } from '../ffi/socket.js';
import { processSummary } from '../inspect/processes.js';
import { randomHex } from '../random-hex.js';

/** The listening side of sd_notify, for `--notify`. */
export interface NotifySocket {
  /** The NOTIFY_SOCKET value for the daemon. */
  address: string;
  /** Resolves on READY=1, ERRNO=, or the deadline. */
  /** `daemonPid`: the daemon, whose messages (and its descendants') count whatever their user. */
  waitReady(deadline: number, daemonPid: number): Promise<{ result: 'ready' } | { result: 'errno'; errno: number; status?: string } | { result: 'timeout' }>;
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

/** Whether `pid` is `ancestor` or one of its descendants (alive now). */
function inTreeOf(pid: number, ancestor: number): boolean {
  for (let current = pid, hops = 0; current > 1 && hops < 64; hops++) {
    if (current === ancestor) return true;
    const parent = processSummary(current)?.ppid;
    if (parent === undefined) return false;
    current = parent;
  }
  return false;
}

/**
 * Whether a message counts: from root, this process's user or the daemon's (`daemonUid`), or from
 * the daemon (`daemonPid`) or one of its descendants, whatever user they became (a daemon that
 * drops privileges itself). Linux's abstract address has no permissions and its name shows in
 * /proc/net/unix: another user could say READY=1 for a daemon that never starts, or ERRNO= to
 * have a good one killed (an adversarial probe). The kernel names each sender (SCM_CREDENTIALS),
 * and anything else is ignored, as systemd ignores a message from outside the service. macOS
 * names no sender.
 */
function fromTheDaemon(datagram: ReceivedDatagram, daemonUid: number, daemonPid: number): boolean {
  const sender = datagram.sender;
  if (sender === null) return true;
  if (sender.uid === 0 || sender.uid === daemonUid || sender.uid === process.geteuid?.()) return true;
  return inTreeOf(sender.pid, daemonPid);
}

/** The sd_notify socket of a start whose daemon runs as `daemonUid`. */
export function openNotifySocket(daemonUid: number): NotifySocket {
  const name = `daemonspec-notify-${process.pid}-${randomHex(6)}`;
  const address = process.platform === 'linux' ? `@${name}` : join(tmpdir(), name);
  const fd = bindDatagram(address);
  try {
    senderCredentials.enable(fd);
  } catch (error) {
    closeQuietly(fd);
    throw error;
  }
  let closed = false;
  return {
    address,
    async waitReady(deadline, daemonPid) {
      let status: string | undefined;
      while (!closed) {
        const left = deadline - Date.now();
        if (left <= 0) return { result: 'timeout' };
        if (!(await waitReadable(fd, Math.min(left, 100)))) continue;
        if (closed) break;
        let datagram: ReceivedDatagram | null;
        while ((datagram = senderCredentials.receive(fd)) !== null) {
          if (!fromTheDaemon(datagram, daemonUid, daemonPid)) continue;
          const fields = notifyFields(datagram.text);
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
