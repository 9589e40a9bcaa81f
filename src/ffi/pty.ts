import { O } from './constants.js';
import { closeQuietly } from './libc.js';
import { lastErrno, syscallError } from './errno.js';
import { cFunc, optionalCFunc } from './library.js';
import { currentOs } from './platform.js';

const c_posix_openpt = cFunc('int posix_openpt(int flags)');
const c_grantpt = cFunc('int grantpt(int fd)');
const c_unlockpt = cFunc('int unlockpt(int fd)');
// ptsname_r is thread-safe (glibc, musl); macOS has ptsname_r only from 10.13.4, ptsname always.
const c_ptsname_r = optionalCFunc('int ptsname_r(int fd, _Out_ char *buf, size_t len)');
const c_ptsname = cFunc('const char *ptsname(int fd)');
const c_tcgetpgrp = cFunc('int tcgetpgrp(int fd)');
const c_isatty = cFunc('int isatty(int fd)');

export interface Pty {
  /** The master side, held by the checker: reading it drains the terminal, closing it hangs up. */
  master: number;
  /** The slave device path (/dev/pts/N), opened by the launcher to make it its controlling terminal. */
  slavePath: string;
}

/** Opens a fresh pseudo-terminal pair (the slave is not opened here). */
export function openPty(): Pty {
  const master = c_posix_openpt(O.RDWR | O.NOCTTY | O.CLOEXEC) as number;
  if (master < 0) throw syscallError('posix_openpt', lastErrno(), { path: '/dev/ptmx' });
  try {
    if (c_grantpt(master) !== 0) throw syscallError('grantpt', lastErrno(), { fd: master });
    if (c_unlockpt(master) !== 0) throw syscallError('unlockpt', lastErrno(), { fd: master });
    return { master, slavePath: slaveName(master) };
  } catch (error) {
    closeQuietly(master);
    throw error;
  }
}

function slaveName(master: number): string {
  const ptsnameR = c_ptsname_r();
  if (ptsnameR) {
    const buf = Buffer.alloc(128);
    const result = ptsnameR(master, buf, buf.length) as number;
    if (result !== 0) throw syscallError('ptsname_r', currentOs() === 'linux' ? result : lastErrno(), { fd: master });
    return buf.toString('latin1', 0, buf.indexOf(0));
  }
  const name = c_ptsname(master) as string | null;
  if (!name) throw syscallError('ptsname', lastErrno(), { fd: master });
  return name;
}

/** The foreground process group of the terminal open at `fd`. */
export function foregroundGroup(fd: number): number {
  const pgrp = c_tcgetpgrp(fd) as number;
  if (pgrp < 0) throw syscallError('tcgetpgrp', lastErrno(), { fd });
  return pgrp;
}

export function isatty(fd: number): boolean {
  return c_isatty(fd) === 1;
}
