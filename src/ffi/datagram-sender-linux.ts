import { koffi } from './koffi.js';
import { C } from './constants.js';
import { lastErrno, syscallError } from './errno.js';
import { cFunc, libc } from './library.js';
import { once } from './once.js';
import type { ReceivedDatagram, SenderCredentials } from './datagram-sender-types.js';

/*
 * Linux: SO_PASSCRED makes the kernel attach an SCM_CREDENTIALS control message (struct ucred:
 * pid, uid, gid of the sending process, as seen from the receiver's namespaces) to every datagram
 * (socket(7), unix(7)). This is how systemd tells which process sent READY=1 (NotifyAccess=).
 */

const SOL_SOCKET = 1;
const SO_PASSCRED = 16;
const SCM_CREDENTIALS = 2;
const DATA_BYTES = 4096;
const CONTROL_BYTES = 256;

const IoVec = once(() => koffi().struct({ iov_base: 'void *', iov_len: 'size_t' }));
const MsgHdr = once(() =>
  koffi().struct({
    msg_name: 'void *',
    msg_namelen: 'uint32_t',
    msg_iov: 'void *',
    msg_iovlen: 'size_t',
    msg_control: 'void *',
    msg_controllen: 'size_t',
    msg_flags: 'int',
  }),
);

const c_setsockopt = cFunc('int setsockopt(int fd, int level, int name, const void *value, uint32_t len)');
const c_recvmsg = cFunc(() => libc().func('recvmsg', 'intptr_t', ['int', koffi().inout(koffi().pointer(MsgHdr())), 'int']));

function enable(fd: number): void {
  const one = Buffer.alloc(4);
  one.writeInt32LE(1);
  if (c_setsockopt(fd, SOL_SOCKET, SO_PASSCRED, one, 4) !== 0) throw syscallError('setsockopt', lastErrno(), { fd, hint: 'SO_PASSCRED' });
}

/** The ucred of the first SCM_CREDENTIALS message in a control buffer (struct cmsghdr: size_t len, int level, int type, data). */
function credentialsIn(control: Buffer): ReceivedDatagram['sender'] {
  let offset = 0;
  while (offset + 16 <= control.length) {
    const len = Number(control.readBigUInt64LE(offset));
    if (len < 16) break;
    if (control.readInt32LE(offset + 8) === SOL_SOCKET && control.readInt32LE(offset + 12) === SCM_CREDENTIALS && len >= 28) {
      return { pid: control.readInt32LE(offset + 16), uid: control.readUInt32LE(offset + 20), gid: control.readUInt32LE(offset + 24) };
    }
    offset += (len + 7) & ~7;
  }
  return null;
}

function receive(fd: number): ReceivedDatagram | null {
  const data = koffi().alloc('uint8_t', DATA_BYTES);
  const control = koffi().alloc('uint8_t', CONTROL_BYTES);
  const iov = koffi().alloc(IoVec(), 1);
  try {
    koffi().encode(iov, IoVec(), { iov_base: data, iov_len: DATA_BYTES });
    const msg = { msg_name: null, msg_namelen: 0, msg_iov: iov, msg_iovlen: 1, msg_control: control, msg_controllen: CONTROL_BYTES, msg_flags: 0 };
    // MSG_DONTWAIT as well as O_NONBLOCK: this runs on the event loop and must never wait.
    const got = Number(c_recvmsg(fd, msg, C.MSG_DONTWAIT));
    if (got < 0) {
      const errno = lastErrno();
      if (errno === koffi().os.errno.EAGAIN || errno === koffi().os.errno.EWOULDBLOCK) return null;
      throw syscallError('recvmsg', errno, { fd });
    }
    const text = Buffer.from(koffi().decode(data, 'uint8_t', got) as number[]).toString('utf8');
    const controlBytes = Buffer.from(koffi().decode(control, 'uint8_t', Number(msg.msg_controllen)) as number[]);
    return { text, sender: credentialsIn(controlBytes) };
  } finally {
    koffi().free(data);
    koffi().free(control);
    koffi().free(iov);
  }
}

export const linuxSenderCredentials: SenderCredentials = { enable, receive, unknownBecause: null };
