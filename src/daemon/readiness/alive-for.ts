import { waitExec } from './exec.js';
import type { ReadinessContext, ReadinessStrategy } from './strategy.js';
import { watchAlive } from './watch.js';

/** `--alive-for`: ready once the program has run `ms` after its exec without exiting. */
export function aliveForReadiness(ms: number): ReadinessStrategy {
  return {
    hint: ` (it must run ${ms} ms after its exec: raise the timeout above that)`,
    async waitReady(ctx: ReadinessContext): Promise<void> {
      await waitExec(ctx);
      const until = Date.now() + ms;
      for (let left = ms; left > 0; left = until - Date.now()) await watchAlive(ctx, left);
    },
  };
}
