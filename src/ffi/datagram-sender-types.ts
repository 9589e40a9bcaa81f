/** Who sent a datagram, as the kernel says (Linux SCM_CREDENTIALS), in this process's pid namespace. */
export interface DatagramSender {
  pid: number;
  uid: number;
  gid: number;
}

/** One datagram received with its sender, when the system tells it. */
export interface ReceivedDatagram {
  text: string;
  /** Null where the system does not say (macOS; see SENDER_UNKNOWN on that OS). */
  sender: DatagramSender | null;
}

/** How an OS receives datagrams with their senders' credentials. */
export interface SenderCredentials {
  /** Asks the kernel to attach the sender's credentials to every datagram the socket receives. */
  enable(fd: number): void;
  /** One waiting datagram, or null when none is waiting (the socket is non-blocking). */
  receive(fd: number): ReceivedDatagram | null;
  /** Why the sender cannot be known on this OS, or null when it can. */
  unknownBecause: string | null;
}
