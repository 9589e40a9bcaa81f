import { existsSync, statSync } from 'node:fs';
import { DaemonspecError } from '../../errors.js';
import type { StartPlan } from '../start-plan.js';
import type { ReadinessContext, ReadinessStrategy } from './strategy.js';
import { LogReader } from './log-reader.js';
import { pollAfterExec } from './watch.js';

const INTERVAL_MS = 20;

/** What a log will be: a regular file (one to be created is), or something whose lines cannot be read back. */
function isFileLog(path: string): boolean {
  try {
    return !existsSync(path) || statSync(path).isFile();
  } catch {
    return true; // unreadable here: opening it gives the error
  }
}

/**
 * `--ready-log`: ready once a line that the daemon writes to its stdout or stderr file after the
 * start matches the pattern (lines written before the start do not count). Needs one of them to
 * be a file.
 */
export function logReadiness(plan: StartPlan, pattern: RegExp): ReadinessStrategy {
  return {
    hint: ` (write a line matching ${pattern} to its --stdout or --stderr file)`,
    async before(): Promise<void> {
      if (![plan.stdout, plan.stderr].some((path) => path !== '/dev/null' && isFileLog(path))) {
        throw new DaemonspecError('EUSAGE', `--ready-log reads the daemon's output from its log file: pass --stdout FILE or --stderr FILE (a regular file)`);
      }
    },
    async waitReady(ctx: ReadinessContext): Promise<void> {
      const readers = ctx.logs.filter((log) => log.regular).map((log) => new LogReader(log));
      await pollAfterExec(ctx, () => readers.some((reader) => reader.lines().some((line) => pattern.test(line))), INTERVAL_MS);
    },
  };
}
