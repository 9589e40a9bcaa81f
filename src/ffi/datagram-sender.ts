import { darwinSenderCredentials } from './datagram-sender-darwin.js';
import { linuxSenderCredentials } from './datagram-sender-linux.js';
import type { SenderCredentials } from './datagram-sender-types.js';
import { currentOs } from './platform.js';

export type { DatagramSender, ReceivedDatagram, SenderCredentials } from './datagram-sender-types.js';

/** Datagrams with their senders' credentials, as this OS gives them. */
export const senderCredentials: SenderCredentials = currentOs() === 'darwin' ? darwinSenderCredentials : linuxSenderCredentials;
