import { randomBytes } from 'node:crypto';
import { chmodSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { notifyFields } from '../../daemon/notify.js';
import { senderCredentials } from '../../ffi/datagram-sender.js';
import { closeQuietly, dupAtLeast } from '../../ffi/libc.js';
import { currentOs } from '../../ffi/platform.js';
import { bindDatagram } from '../../ffi/socket.js';
import { fdLayout } from '../fd-layout.js';

/** One sd_notify message as the checker received it. */
export interface NotifyMessage {
  /** The message's variables (READY, MAINPID, STATUS, ERRNO, ...), the last value of each. */
  fields: Record<string, string>;
  /** The sending process (Linux SCM_CREDENTIALS), or null where the system does not say. */
  senderPid: number | null;
}

/** What the socket had received at one moment. */
export interface NotifyState {
  messages: NotifyMessage[];
}

/**
 * The checker's NOTIFY_SOCKET (`check --notify`), as systemd holds one for a Type=notify
 * service: a datagram socket the command learns from its environment. The checker keeps every
 * message with its sender, and samples the socket when it wants (as the command returned, and
 * once the daemon settled). Linux: an abstract address (no file, reachable by a daemon that
 * dropped privileges; one per network namespace, where the checker runs too). macOS: a socket
 * file in the check's work directory, open to every user.
 */
export class NotifyListener {
  readonly address: string;
  /** Why a sender cannot be known here (macOS), or null. */
  readonly unknownSender: string | null = senderCredentials.unknownBecause;
  private readonly fd: number;
  private readonly path: string | null;
  private readonly messages: NotifyMessage[] = [];

  /** `checkerFrom`: its fd goes there and up, above every fd the caller is given (src/check/fd-layout.ts). */
  constructor(work: string, checkerFrom: number = fdLayout().checkerFrom) {
    const name = `daemonspec-check-notify-${process.pid}-${randomBytes(6).toString('hex')}`;
    this.path = currentOs() === 'linux' ? null : join(work, 'notify');
    this.address = this.path ?? `@${name}`;
    const bound = bindDatagram(this.address);
    // Above the fds a command may be given or planted with, like the other checker fds.
    this.fd = dupAtLeast(bound, checkerFrom);
    closeQuietly(bound);
    try {
      senderCredentials.enable(this.fd);
      if (this.path !== null) chmodSync(this.path, 0o777);
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Every message received so far, without waiting. */
  sample(): NotifyState {
    let datagram;
    while ((datagram = senderCredentials.receive(this.fd)) !== null) {
      this.messages.push({ fields: notifyFields(datagram.text), senderPid: datagram.sender?.pid ?? null });
    }
    return { messages: [...this.messages] };
  }

  close(): void {
    closeQuietly(this.fd);
    if (this.path === null) return;
    try {
      unlinkSync(this.path);
    } catch {
      // gone with the work directory
    }
  }
}
