import { SIGNALS } from '../ffi/constants.js';
import { kill, reap, stoppedOrEnded, stoppedOrEndedNow, type WaitResult } from '../ffi/libc.js';
import { processSummary, tracerOf } from '../inspect/processes.js';
import type { StatusChannel, StatusMessage } from './status-channel.js';

const { SIGKILL, SIGSTOP, SIGCONT } = SIGNALS;

/**
 * Stops the outer sh and waits until it is stopped: a stopped parent cannot reap, so from then on
 * the daemon is either running (ready: the outer is killed and the daemon reparented) or dead
 * (the outer, continued, reaps it, writes `exit N` and ends). Killing the outer while the daemon
 * runs could otherwise race with the daemon's death and lose its status (the outer killed between
 * reaping the daemon and writing `exit N`). Returns null when the daemon runs, else the outer's report.
 */
export async function letGo(outer: number, daemonPid: number, channel: StatusChannel): Promise<StatusMessage | null> {
  kill(outer, SIGSTOP);
  const outerState = await stoppedOrEndedAfterSignal(outer);
  if (outerState === 'stopped') {
    const daemon = processSummary(daemonPid);
    if (daemon !== null && daemon.ppid === outer && daemon.state !== 'Z') {
      kill(outer, SIGKILL);
      await stoppedOrEndedAfterSignal(outer); // a stopped process ends at SIGKILL: reaped here
      return null;
    }
    kill(outer, SIGCONT);
    await reap(outer);
  }
  // The outer has ended: whatever it wrote is in the pipe, followed by EOF once the daemon is gone too.
  const until = Date.now() + 2000;
  for (;;) {
    const message = await channel.next(until);
    if (message === null || message.kind === 'eof') return channel.pending('exit') ?? { kind: 'eof' };
    if (message.kind === 'exit') return message;
  }
}

/**
 * The outer's stop or end after a signal. The kernel acts on SIGSTOP or SIGKILL before the outer
 * runs another instruction, so the wait is on this thread (a wait on koffi's worker costs a start
 * about 1.5 ms: issue 14.1). A tracer (a debugger) can hold the outer in a ptrace stop its parent
 * is never told of: a traced outer is waited for on the worker, so the event loop (a Ctrl-C's
 * undo) runs meanwhile. Where the tracer cannot be read (macOS), the wait is on this thread.
 */
function stoppedOrEndedAfterSignal(pid: number): Promise<WaitResult | 'stopped'> {
  return tracerOf(pid) === null ? Promise.resolve(stoppedOrEndedNow(pid)) : stoppedOrEnded(pid);
}
