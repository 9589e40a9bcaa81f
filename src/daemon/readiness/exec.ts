import { setTimeout as delay } from 'node:timers/promises';
import { execState } from '../chain.js';
import type { ReadinessContext, ReadinessStrategy } from './strategy.js';

/**
 * Waits until the inner sh has exec'd the program (its argument vector changed), or throws: the
 * chain reported the daemon's exit, the daemon is gone, or the deadline passed.
 */
export async function waitExec(ctx: ReadinessContext): Promise<void> {
  for (;;) {
    const exited = ctx.channel.pending('exit');
    if (exited) throw ctx.errors.died(exited);
    const state = execState(ctx.pid, ctx.inner);
    if (state === 'execed') return;
    if (state === 'gone') throw ctx.errors.died((await ctx.wait(ctx.channel.next(Math.min(ctx.deadline, Date.now() + 1000)))) ?? null);
    if (Date.now() > ctx.deadline) throw ctx.errors.timeout();
    await ctx.wait(delay(1));
  }
}

/** A program that does not report: ready once the exec happened (systemd's Type=exec). */
export const execReadiness: ReadinessStrategy = {
  hint: '',
  waitReady: waitExec,
};
