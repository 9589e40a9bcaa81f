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

export function currentLibc(): Libc {
  if (currentOs() === 'darwin') return 'darwin';
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header?.glibcVersionRuntime ? 'glibc' : 'musl';
}

/** glibc's runtime version as "2.36", or null on musl and macOS. */
export function glibcVersion(): string | null {
  if (currentOs() !== 'linux') return null;
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header?.glibcVersionRuntime ?? null;
}
