import { statSync, type BigIntStats } from 'node:fs';
import type { ReadinessContext, ReadinessStrategy } from './strategy.js';
import { pollAfterExec } from './watch.js';

const INTERVAL_MS = 20;

function identity(path: string): string | null {
  let stat: BigIntStats;
  try {
    stat = statSync(path, { bigint: true });
  } catch {
    return null;
  }
  return `${stat.dev}:${stat.ino}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

/**
 * `--ready-file`: ready once the file exists. A file already there before the start (left by an
 * earlier run) would prove nothing: it counts once replaced or modified (inode, mtime or ctime changed).
 */
export function fileReadiness(path: string): ReadinessStrategy {
  let before: string | null = null;
  return {
    hint: ` (create ${path})`,
    async before(): Promise<void> {
      before = identity(path);
    },
    async waitReady(ctx: ReadinessContext): Promise<void> {
      await pollAfterExec(ctx, () => {
        const now = identity(path);
        return now !== null && now !== before;
      }, INTERVAL_MS);
    },
  };
}
