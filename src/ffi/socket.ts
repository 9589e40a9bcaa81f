import { koffi } from './koffi.js';
import { C } from './constants.js';
import { lastErrno, syscallError } from './errno.js';
import { setCloexec, setNonblock } from './libc.js';
import { cFunc, libc } from './library.js';
import { once } from './once.js';
import { currentOs } from './platform.js';
import { encodeSockaddr } from './sockaddr.js';

/*
 * Unix datagram sockets for the sd_notify protocol (NOTIFY_SOCKET): Node's dgram module has no
 * AF_UNIX. A NOTIFY_SOCKET value starting with '@' names a Linux abstract socket.
 */

const c_socket = cFunc('int socket(int domain, int type, int protocol)');
const c_bind = cFunc('int bind(int fd, const void *addr, uint32_t len)');
const c_sendto = cFunc('intptr_t sendto(int fd, const void *buf, size_t len, int flags, const void *addr, uint32_t alen)');
const c_recv = cFunc('intptr_t recv(int fd, _Out_ uint8_t *buf, size_t len, int flags)');
/** struct pollfd, the same on Linux and macOS: int fd; short events; short revents. */
const PollFd = once(() => koffi().struct({ fd: 'int', events: 'int16_t', revents: 'int16_t' }));
/*
 * poll() runs on koffi's worker thread (waitReadable), so its struct is koffi's to marshal, copied
 * into the call's own memory and back, never a JS buffer: V8 keeps a typed array of 64 bytes or
 * less inside its heap and moves it when it collects garbage, and the kernel's revents then went to
 * wherever the buffer had been (SIGSEGV and malloc aborts: spec/daemon/notify-parallel.test.ts).
 */
const c_poll = cFunc(() => libc().func('poll', 'int', [koffi().inout(koffi().pointer(PollFd())), 'unsigned long', 'int']));
const c_close = cFunc('int close(int fd)');

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const POLLIN = 1;

/**
 * A close-on-exec datagram socket, made non-blocking with fcntl when asked. One path for both
 * systems: macOS has no SOCK_NONBLOCK or SOCK_CLOEXEC type flags (xnu bsd/sys/socket.h defines
 * neither), and a blocking socket there would let recv() stall the event loop.
 */
function datagramSocket(nonblocking: boolean): number {
  const fd = c_socket(AF_UNIX, SOCK_DGRAM, 0) as number;
  if (fd < 0) throw syscallError('socket', lastErrno());
  try {
    setCloexec(fd, true);
    if (nonblocking) setNonblock(fd, true);
  } catch (error) {
    c_close(fd);
    throw error;
  }
  return fd;
}

/** A bound, non-blocking datagram socket; close it with close() from libc.ts. */
export function bindDatagram(address: string): number {
  // The address first: a name that is too long must not leave a socket behind.
  const { addr, len } = encodeSockaddr(address, currentOs());
  const fd = datagramSocket(true);
  if (c_bind(fd, addr, len) !== 0) {
    const errno = lastErrno();
    c_close(fd);
    throw syscallError('bind', errno, { path: address });
  }
  return fd;
}

/** Waits (on a koffi worker thread) until the fd is readable or `timeoutMs` passes. */
export function waitReadable(fd: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const pollfd = { fd, events: POLLIN, revents: 0 };
    c_poll.async(pollfd, 1, Math.max(0, Math.floor(timeoutMs)), (error: unknown, result: number) => {
      if (error) return reject(error);
      resolve(result > 0);
    });
  });
}

/** One datagram, or null when none is waiting. */
export function receiveDatagram(fd: number): string | null {
  const buffer = Buffer.alloc(4096);
  // MSG_DONTWAIT as well as O_NONBLOCK: this recv runs on the event loop and must never wait.
  const got = Number(c_recv(fd, buffer, buffer.length, C.MSG_DONTWAIT));
  if (got < 0) {
    const errno = lastErrno();
    if (errno === koffi().os.errno.EAGAIN || errno === koffi().os.errno.EWOULDBLOCK) return null;
    throw syscallError('recv', errno, { fd });
  }
  return buffer.subarray(0, got).toString('utf8');
}

/** sd_notify(): sends one datagram to a NOTIFY_SOCKET address. */
export function sendDatagram(address: string, message: string): void {
  const { addr, len } = encodeSockaddr(address, currentOs());
  const fd = datagramSocket(false);
  try {
    const data = Buffer.from(message, 'utf8');
    if (Number(c_sendto(fd, data, data.length, 0, addr, len)) < 0) throw syscallError('sendto', lastErrno(), { path: address });
  } finally {
    c_close(fd);
  }
}
