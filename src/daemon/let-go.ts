import { SIGNALS } from '../ffi/constants.js';
import { kill, reap, stoppedOrEndedNow } from '../ffi/libc.js';
import { processSummary } from '../inspect/processes.js';
import type { StatusChannel, StatusMessage } from './status-channel.js';

const { SIGKILL, SIGSTOP, SIGCONT } = SIGNALS;

/**
 * Stops the outer sh and waits until it is stopped: a stopped parent cannot reap, so from then on
 * the daemon is either running (ready: the outer is killed and the daemon reparented) or dead
 * (the outer, continued, reaps it, writes `exit N` and ends). Killing the outer while the daemon
 * runs could otherwise race with the daemon's death and lose its status (the outer killed between
 * reaping the daemon and writing `exit N`). Returns null when the daemon runs, else the outer's report.
 * The waits for the signalled outer are on this thread (stoppedOrEndedNow): both end at once.
 */
export async function letGo(outer: number, daemonPid: number, channel: StatusChannel): Promise<StatusMessage | null> {
  kill(outer, SIGSTOP);
  const outerState = stoppedOrEndedNow(outer);
  if (outerState === 'stopped') {
    const daemon = processSummary(daemonPid);
    if (daemon !== null && daemon.ppid === outer && daemon.state !== 'Z') {
      kill(outer, SIGKILL);
      stoppedOrEndedNow(outer); // a stopped process ends at SIGKILL: reaped here
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
