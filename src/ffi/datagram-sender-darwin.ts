import type { SenderCredentials } from './datagram-sender-types.js';
import { receiveDatagram } from './socket.js';

/*
 * macOS: a datagram carries its sender's credentials only when the sender attaches an SCM_CREDS
 * message itself (xnu bsd/kern/uipc_usrreq.c, unp_internalize); sd_notify senders do not, and
 * LOCAL_PEERCRED is for connected stream sockets. The receiver then knows only what the message
 * says (MAINPID=).
 */
export const darwinSenderCredentials: SenderCredentials = {
  enable: () => undefined,
  receive(fd) {
    const text = receiveDatagram(fd);
    return text === null ? null : { text, sender: null };
  },
  unknownBecause: 'macOS does not tell a datagram socket who sent a message (no SCM_CREDENTIALS); only MAINPID= can name the daemon',
};
