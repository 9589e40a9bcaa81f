import { isDaemonspecError } from '../errors.js';

/** Exit statuses shared by the CLI and daemonize()'s original process (documented in docs/cli.md). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * 2 for whatever is refused before anything starts (a bad option, a missing command, a log or
 * pidfile that cannot be used, a held pidfile, an unsupported platform), 1 for any other failure.
 */
export function exitStatusOf(error: unknown): number {
  return isDaemonspecError(error) && (error.refused || error.code === 'EUSAGE' || error.code === 'EUNSUPPORTED') ? EXIT.usage : EXIT.failed;
}

/** The text printed for an error: one line with the fix (and its detail) for a known error, the stack otherwise. */
export function errorText(error: unknown): string {
  if (isDaemonspecError(error)) return `daemonspec: ${error.message}${error.detail ? `\n${error.detail}` : ''}\n`;
  return `daemonspec: unexpected error\n${(error as Error)?.stack ?? String(error)}\n`;
}
