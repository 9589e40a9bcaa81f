import type { ReadinessContext, ReadinessStrategy } from './strategy.js';

/**
 * sd_notify: READY=1 on the daemon's NOTIFY_SOCKET (ERRNO= is a failure), as start-stop-daemon
 * --notify-await and systemd Type=notify. A Node daemon may instead report on the status pipe.
 */
export function notifyReadiness(hint: string): ReadinessStrategy {
  return {
    hint,
    async waitReady(ctx: ReadinessContext): Promise<void> {
      const notify = ctx.notify!;
      const outcome = await ctx.wait(Promise.race([notify.waitReady(ctx.deadline, ctx.pid), ctx.channel.next(ctx.deadline).then((m) => ({ channel: m }))]));
      if ('channel' in outcome) {
        if (outcome.channel === null) throw ctx.errors.timeout();
        if (outcome.channel.kind === 'fail') throw ctx.errors.failed(outcome.channel.error);
        if (outcome.channel.kind !== 'ready') throw ctx.errors.died(outcome.channel);
      } else if (outcome.result === 'timeout') {
        throw ctx.errors.timeout();
      } else if (outcome.result === 'errno') {
        throw ctx.errors.notifyErrno(outcome.errno, outcome.status);
      }
    },
  };
}
