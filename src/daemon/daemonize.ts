import { onMainThread } from '../builtins-on-use.js';
import { DaemonspecError } from '../errors.js';
import { errorText, exitStatusOf } from './exit-status.js';
import { daemonHandle, type DaemonHandle } from './handle.js';
import { takeMarker } from './marker.js';
import type { DaemonizeOptions, DaemonOptions } from './options.js';

/** The handle of the daemon this process became, once daemonize() made it one. */
let thisDaemon: DaemonHandle | null = null;

function notAFunction(entry: string, value: unknown): DaemonspecError {
  return new DaemonspecError('EUSAGE', `${entry}() needs the function to run as the daemon, got ${value === null ? 'null' : typeof value}`, { refused: true });
}

function exitWith(error: unknown): never {
  process.stderr.write(errorText(error));
  process.exit(exitStatusOf(error));
}

/**
 * Turns the running Node script into a daemon. Call it at the top of the script, on the main
 * thread (on a worker thread it rejects with EUSAGE): the code above the call runs in both processes.
 *
 * - In the original process it never returns: it starts the script again as a daemon, waits until
 *   the daemon is ready, then exits 0; on a failure it prints the error (with the daemon's own
 *   message) and exits 1 (2 for what was refused before anything started, as the CLI does).
 * - In the daemon it returns a {@link DaemonHandle}. Readiness is reported as it returns, unless
 *   `manualReady` is set: then call `handle.ready()` (or `handle.fail(error)`) yourself.
 *
 * @example
 * ```ts
 * import { daemonize } from 'daemonspec';
 * const daemon = await daemonize({ pidfile: '/run/app.pid', stderr: '/var/log/app.err', manualReady: true });
 * server.listen(8080, () => daemon.ready());
 * ```
 */
export async function daemonize(options: DaemonizeOptions = {}): Promise<DaemonHandle> {
  if (thisDaemon !== null) {
    // The marker is gone (taken by the first call): without this, the daemon would start another.
    throw new DaemonspecError('EUSAGE', 'daemonize() was called again in the daemon it made: call it once, at the top of the script, and keep its handle', { refused: true });
  }
  if (!onMainThread()) {
    // process.exit() on a worker ends the worker only: the script would go on without its daemon.
    throw new DaemonspecError('EUSAGE', 'daemonize() was called on a worker thread, which cannot exit its process: call it on the main thread, at the top of the script', { refused: true });
  }
  const marker = takeMarker();
  if (marker) {
    thisDaemon = daemonHandle(marker);
    return thisDaemon;
  }
  try {
    // The original's side only: a daemon, which imports this module too, never loads the start.
    await (await import('./start-self.js')).startSelf(options);
  } catch (error) {
    exitWith(error);
  }
  process.exit(0);
}

/**
 * Runs `fn` as a daemon (the seed's "daemonize a function" shape). The original exits once the
 * daemon is ready; the daemon exits when `fn` settles (1 if it throws).
 */
export async function runAsDaemon(fn: (handle: DaemonHandle) => unknown, options: DaemonizeOptions = {}): Promise<never> {
  // Before the start: the daemon would only find out once the original had exited 0.
  if (typeof fn !== 'function') throw notAFunction('runAsDaemon', fn);
  const handle = await daemonize(options);
  try {
    await fn(handle);
  } catch (error) {
    if (!handle.settled) handle.fail(error);
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  }
  if (!handle.settled) handle.ready();
  process.exit(0);
}

/**
 * Wraps a function so that calling it daemonizes first (the seed's decorator shape).
 * @example
 * ```ts
 * const serve = daemonized(async (port: number) => startServer(port), { stdout: '/tmp/srv.log' });
 * await serve(8080);
 * ```
 */
export function daemonized<A extends unknown[]>(fn: (...args: A) => unknown, options: DaemonizeOptions = {}): (...args: A) => Promise<never> {
  if (typeof fn !== 'function') throw notAFunction('daemonized', fn);
  return (...args: A) => runAsDaemon(() => fn(...args), options);
}

export type { DaemonOptions };
