import { constants as fsConstants } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { darwinConstants, darwinTrapSignals } from './constants-darwin.js';
import { linuxConstants, linuxTrapSignals } from './constants-linux.js';
import { currentOs } from './platform.js';

type Numeric<T> = { readonly [K in keyof T]: number };

/** The constants of the OS this process runs on. Open flags come from Node, which knows them. */
export const C: Numeric<typeof linuxConstants> = currentOs() === 'darwin' ? darwinConstants : linuxConstants;

/** The signals the checker draws its blocked and ignored traps from, for this OS. */
export const TRAP_SIGNAL_POOL: readonly number[] = currentOs() === 'darwin' ? darwinTrapSignals : linuxTrapSignals;

export const O = {
  RDONLY: fsConstants.O_RDONLY,
  WRONLY: fsConstants.O_WRONLY,
  RDWR: fsConstants.O_RDWR,
  CREAT: fsConstants.O_CREAT,
  EXCL: fsConstants.O_EXCL,
  TRUNC: fsConstants.O_TRUNC,
  APPEND: fsConstants.O_APPEND,
  NOCTTY: fsConstants.O_NOCTTY,
  NOFOLLOW: fsConstants.O_NOFOLLOW,
  NONBLOCK: fsConstants.O_NONBLOCK,
  DIRECTORY: fsConstants.O_DIRECTORY,
  CLOEXEC: C.O_CLOEXEC,
} as const;

export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const FD_CLOEXEC = 1;
export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;
export const WNOHANG = 1;
/** waitpid: also report a child that stopped (2 on Linux and macOS alike). */
export const WUNTRACED = 2;

/** Signal numbers by name for this OS (Node's table, which signalNumber and signalName read): `SIGNALS.SIGKILL`. */
export const SIGNALS = osConstants.signals;

/** Signal number by name (SIGTERM → 15), for this OS. */
export function signalNumber(name: string): number | undefined {
  const key = (name.startsWith('SIG') ? name : `SIG${name}`).toUpperCase();
  return (SIGNALS as Record<string, number>)[key];
}

/** Signal name by number (15 → SIGTERM); real-time signals as SIGRTMIN+n / SIGn. */
export function signalName(num: number): string {
  for (const [name, value] of Object.entries(SIGNALS)) {
    if (value === num && name !== 'SIGIOT' && name !== 'SIGPOLL' && name !== 'SIGUNUSED') return name;
  }
  return `SIG${num}`;
}
