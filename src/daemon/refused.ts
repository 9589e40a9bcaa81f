import { isDaemonspecError } from '../errors.js';

/**
 * Runs a step that comes before anything is started (checking options, opening the logs, claiming
 * the pidfile): a DaemonspecError it throws is marked refused, so the CLI exits 2 for it.
 */
export async function beforeStart<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw isDaemonspecError(error) ? error.markRefused() : error;
  }
}
