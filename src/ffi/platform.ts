import { readFileSync } from 'node:fs';
import { DaemonspecError } from '../errors.js';

/** The operating systems daemonspec supports; each has a file of its own where they differ. */
export type Os = 'linux' | 'darwin';
/** The C library the process runs on: constants and available calls follow it. */
export type Libc = 'glibc' | 'musl' | 'darwin';

export function currentOs(): Os {
  if (process.platform === 'linux' || process.platform === 'darwin') return process.platform;
  throw new DaemonspecError(
    'EUNSUPPORTED',
    `daemonspec supports Linux and macOS; this is ${process.platform}. Run it in a Linux container or VM.`,
  );
}

let linuxLibc: Libc | undefined;

/**
 * Which C library this process runs on. Linux: the one mapped into it (musl's dynamic loader is
 * its C library, ld-musl-ARCH.so.1), read from /proc/self/maps in about a millisecond;
 * process.report's header says the same but builds a whole diagnostic report (5 ms at import).
 */
export function currentLibc(): Libc {
  if (currentOs() === 'darwin') return 'darwin';
  linuxLibc ??= /\/(?:ld-musl-|libc\.musl-)[^/\n]*$/m.test(readFileSync('/proc/self/maps', 'latin1')) ? 'musl' : 'glibc';
  return linuxLibc;
}

/** glibc's runtime version as "2.36", or null on musl and macOS. */
export function glibcVersion(): string | null {
  if (currentOs() !== 'linux') return null;
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header?.glibcVersionRuntime ?? null;
}
