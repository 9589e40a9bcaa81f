import type { ReadinessContext } from './strategy.js';
import { waitExec } from './exec.js';

/**
 * Waits up to `ms` (never past the deadline) while the daemon runs. Throws the daemon's death as
 * soon as the outer sh reports it (`exit N`, or the pipe's end), and the timeout once the
 * deadline has passed.
 */
export async function watchAlive(ctx: ReadinessContext, ms: number): Promise<void> {
  if (Date.now() >= ctx.deadline) throw ctx.errors.timeout();
  const message = await ctx.wait(ctx.channel.next(Math.min(ctx.deadline, Date.now() + ms)));
  if (message !== null) throw ctx.errors.died(message.kind === 'exit' ? message : (ctx.channel.pending('exit') ?? message));
}

/** After the exec, asks `probe` every `intervalMs` until it says yes; the daemon's death or the deadline ends the wait first. */
export async function pollAfterExec(ctx: ReadinessContext, probe: () => boolean | Promise<boolean>, intervalMs: number): Promise<void> {
  await waitExec(ctx);
  for (;;) {
    if (await ctx.wait(Promise.resolve(probe()))) return;
    await watchAlive(ctx, intervalMs);
  }
}
