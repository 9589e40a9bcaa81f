import { writeSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { closeQuietly, kill, pipe, processExists, reap } from '../ffi/libc.js';
import { SIGNALS } from '../ffi/constants.js';
import { chooseFds, type ChainFds, type ChainSources } from './chain.js';
import { openNotifySocket, type NotifySocket } from './notify.js';
import { openLifeLine, type LifeLine } from './parent-death.js';
import { isRunning, processesWhere } from '../inspect/processes.js';
import { claimPidfile, type PidfileClaim } from './pidfile.js';
import { StatusChannel } from './status-channel.js';
import { closeLog, discardLog, logTail, openLog, type LogFile } from './stdio.js';
import type { StartFacts } from './start-errors.js';
import type { StartPlan } from './start-plan.js';

const { SIGKILL } = SIGNALS;

/**
 * Everything a start holds: the logs, the pidfile claim, the status and go pipes, the sd_notify
 * socket, and the chain's processes once spawned. A failed start calls undo() then dispose(); a
 * successful one dispose() alone (the daemon keeps its own copies of the fds).
 */
export class StartResources implements StartFacts {
  readonly out: LogFile;
  readonly err: LogFile;
  private claim: PidfileClaim | null;
  notify: NotifySocket | null = null;
  channel: StatusChannel | null = null;
  private statusRead = -1;
  private statusWrite = -1;
  /** The go pipe: the chain reads it, only this process writes it (see chain.ts). */
  private goRead = -1;
  private goWrite = -1;
  /** Ties the outer sh's life to this process's (parent-death.ts); null where the OS has none. */
  private lifeLine: LifeLine | null = null;
  outer = -1;
  /**
   * The chain's process group (the outer sh's pid: it leads its session), which the daemon and
   * what it forks are in unless they move: kept once the outer is reaped, so that a daemon that
   * died after forking leaves no child running.
   */
  private group = -1;
  daemonPid: number | null = null;
  private disposed = false;
  /** Undone with nothing of the start left running: its empty logs may go. */
  private undone = false;

  private constructor(out: LogFile, err: LogFile, claim: PidfileClaim | null) {
    this.out = out;
    this.err = err;
    this.claim = claim;
  }

  /**
   * Claims the pidfile, then opens the logs: what is refused here, is refused before anything
   * starts, and leaves neither the claim nor a log it made. The claim comes first so that the
   * loser of a race for one pidfile never touches the logs the winner writes (it made one, then
   * removed it under the winner: a review).
   */
  static open(plan: StartPlan): StartResources {
    const claim = plan.pidfile === null ? null : claimPidfile(plan.pidfile);
    let out: LogFile | null = null;
    let err: LogFile | null = null;
    try {
      out = openLog(plan.stdout, 'stdout', plan.uid);
      err = openLog(plan.stderr, 'stderr', plan.uid);
      return new StartResources(out, err, claim);
    } catch (error) {
      discardLog(out);
      discardLog(err);
      claim?.abort();
      throw error;
    }
  }

  get stderrIsFile(): boolean {
    return this.err.regular;
  }

  /** Makes the status and go pipes (and the sd_notify socket if asked) and picks their fd numbers in the chain. */
  openChannels(plan: StartPlan): ChainFds {
    [this.statusRead, this.statusWrite] = pipe();
    [this.goRead, this.goWrite] = pipe();
    this.lifeLine = openLifeLine();
    if (plan.notify) this.notify = openNotifySocket(plan.uid);
    const sources = [this.out.fd, this.err.fd, this.statusRead, this.statusWrite, this.goRead, this.goWrite, ...(this.claim ? [this.claim.lockFd] : []), ...(this.lifeLine ? [this.lifeLine.chainSide] : [])];
    return chooseFds(plan.keepFds, sources, this.claim !== null, this.lifeLine !== null);
  }

  /** The fds of this process that the chain gets at its own numbers. */
  chainSources(): ChainSources {
    return {
      stdoutFd: this.out.fd,
      stderrFd: this.err.fd,
      statusWriteFd: this.statusWrite,
      goReadFd: this.goRead,
      lockFd: this.claim?.lockFd ?? null,
      lifeFd: this.lifeLine?.chainSide ?? null,
    };
  }

  /** The chain runs: close its ends of the pipes here and read the status pipe from now on. */
  spawned(outer: number): StatusChannel {
    this.outer = outer;
    this.group = outer;
    this.lifeLine?.bind(outer);
    closeQuietly(this.statusWrite);
    this.statusWrite = -1;
    closeQuietly(this.goRead);
    this.goRead = -1;
    this.channel = new StatusChannel(this.statusRead);
    this.statusRead = -1; // the channel owns it
    return this.channel;
  }

  /** The inner sh reported its pid: the pidfile names it from now on. */
  commitPid(pid: number): void {
    this.daemonPid = pid;
    this.claim?.commit(pid);
  }

  /** Lets the inner sh exec the program. A chain already gone is seen on the status pipe. */
  sayGo(): void {
    try {
      writeSync(this.goWrite, 'go\n');
    } catch {
      // EPIPE: the chain is gone; its exit or end of file is what the start reports
    }
    closeQuietly(this.goWrite);
    this.goWrite = -1;
  }

  /** The outer sh is reaped and the daemon dead: only what the daemon forked may be left, in the chain's group. */
  chainEnded(): void {
    this.outer = -1;
    this.daemonPid = null;
  }

  /** The daemon's logs: stdout, and stderr unless it is the same file. */
  logs(): LogFile[] {
    return this.out.path === this.err.path ? [this.out] : [this.out, this.err];
  }

  /** What the daemon wrote to its logs since the start (stderr first): its own error for the message. */
  daemonOutput(): string {
    return logTail(this.err) || (this.out.path !== this.err.path ? logTail(this.out) : '');
  }

  /**
   * A failed start: kills the chain's process group (what a dead daemon forked too) and the daemon, and removes the pidfile and
   * its temporary file. Returns the pids of the start still running 2 s after SIGKILL (none,
   * unless a process is stuck in the kernel): the error then names them.
   */
  async undo(): Promise<number[]> {
    const outer = this.outer;
    const pid = this.daemonPid;
    if (this.group > 0) kill(-this.group, SIGKILL);
    if (outer > 0) {
      kill(outer, SIGKILL);
      await reapWithin(outer, 2000);
    }
    if (pid !== null && isRunning(pid)) kill(pid, SIGKILL);
    const left = await waitGroupGone(this.group, pid);
    this.undone = left.length === 0; // nothing of the start writes to its logs any more
    this.chainEnded();
    this.group = -1;
    this.claim?.abort();
    this.claim = null;
    return left;
  }

  /**
   * Closes everything this process holds (the daemon keeps its own copies). Idempotent. After an
   * undo, a log this start created that is still empty is removed (a failed start left them).
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const close = this.undone ? discardLog : closeLog;
    close(this.out);
    if (this.err !== this.out) close(this.err);
    for (const fd of [this.statusRead, this.statusWrite, this.goRead, this.goWrite]) closeQuietly(fd);
    this.statusRead = this.statusWrite = this.goRead = this.goWrite = -1;
    this.channel?.close();
    this.lifeLine?.close(); // the outer is gone by now: killed by the let-go, or by the undo
    this.notify?.close();
    this.claim?.release();
    this.claim = null;
  }
}

/**
 * Reaps the SIGKILLed outer sh, waiting at most `ms`: a tracer attached to it (a debugger) is told
 * of its death first, and its parent can reap it only once the tracer has, which may be never. The
 * wait goes on on koffi's worker; the undo goes on without it (a zombie is gone for the start).
 */
async function reapWithin(outer: number, ms: number): Promise<void> {
  const abort = new AbortController();
  await Promise.race([reap(outer).catch(() => undefined), delay(ms, undefined, { signal: abort.signal }).catch(() => undefined)]);
  abort.abort();
}

/**
 * After SIGKILL: waits (bounded) until the chain's processes are really gone, so a failed start
 * leaves nothing running; returns those still running when the bound passed.
 */
async function waitGroupGone(group: number, pid: number | null): Promise<number[]> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const left = stillInChain(group, pid);
    if (left.length === 0 || Date.now() >= deadline) return left;
    await delay(2);
  }
}

/**
 * The chain's group members and the daemon that still run. A zombie does not: it has exited and
 * waits only for its reaper (init may reap late, a subreaper above the caller maybe never).
 */
function stillInChain(group: number, pid: number | null): number[] {
  const left = group > 0 && processExists(-group) ? processesWhere((p) => p.pgid === group && p.state !== 'Z').map((p) => p.pid) : [];
  if (pid !== null && !left.includes(pid) && isRunning(pid)) left.push(pid);
  return left;
}
