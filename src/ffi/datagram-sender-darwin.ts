import type { SenderCredentials } from './datagram-sender-types.js';
import { receiveDatagram } from './socket.js';

/*
 * macOS: xnu attaches no credentials to a unix datagram. uipc_send() (bsd/kern/uipc_usrreq.c,
 * xnu-11417) queues only the control messages the sender gave, and unp_internalize() accepts
 * SCM_RIGHTS alone (EINVAL for anything else); LOCAL_PEERCRED is for connected stream sockets.
 * The receiver knows only what the message says (MAINPID=).
 */
export const darwinSenderCredentials: SenderCredentials = {
  enable: () => undefined,
  receive(fd) {
    const text = receiveDatagram(fd);
    return text === null ? null : { text, sender: null };
  },
  unknownBecause: 'macOS does not tell a datagram socket who sent a message (no SCM_CREDENTIALS); only MAINPID= can name the daemon',
};
