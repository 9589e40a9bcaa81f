import type { ReadinessContext, ReadinessStrategy } from './strategy.js';

/** A Node daemon started by daemonize(): it writes `ready` or `fail {json}` on the status pipe itself. */
export function nodeReadiness(manualReady: boolean): ReadinessStrategy {
  return {
    hint: manualReady ? ' (call handle.ready())' : '',
    async waitReady(ctx: ReadinessContext): Promise<void> {
      const message = await ctx.wait(ctx.channel.next(ctx.deadline));
      if (message === null) throw ctx.errors.timeout();
      if (message.kind === 'fail') throw ctx.errors.failed(message.error);
      if (message.kind !== 'ready') throw ctx.errors.died(message);
    },
  };
}
