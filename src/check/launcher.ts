import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { DaemonspecError } from '../errors.js';
import { O } from '../ffi/constants.js';
import { closeQuietly, kill, reap, reapNow, type WaitResult } from '../ffi/libc.js';
import { foregroundGroup, openPty } from '../ffi/pty.js';
import { spawn } from '../ffi/spawn.js';
import { LAUNCHER_SCRIPT, parseReportLine, type OriginalExit } from './launcher-script.js';
import { TRAP_BLOCKED_SIGNAL, type Traps } from './traps.js';

export type { OriginalExit } from './launcher-script.js';

/** Terminal output kept for the report: the tail, so the last words before a failure survive. */
const OUTPUT_LIMIT = 64 * 1024;

/**
 * bash keeps the signal mask it inherited when it runs a command; dash empties it in every
 * child (measured here), which would hide the blocked-SIGUSR1 trap. Without bash the check
 * still runs, and `signal-mask-empty` is skipped with that reason.
 */
export function findLauncherShell(): { path: string; keepsMask: boolean } {
  for (const path of ['/bin/bash', '/usr/bin/bash', '/usr/local/bin/bash']) {
    if (existsSync(path)) return { path, keepsMask: true };
  }
  return { path: '/bin/sh', keepsMask: false };
}

export interface LaunchRequest {
  /** argv, with argv[0] an absolute path (resolved by the caller). */
  command: readonly string[];
  env: Record<string, string>;
  cwd: string;
  traps: Traps;
  pidfile?: string | undefined;
  stdout?: string | undefined;
  stderr?: string | undefined;
}

/**
 * A session leader owning a fresh pty, running the command in its own foreground process
 * group with the traps set. The checker holds the pty master: it drains it (the output is
 * kept for the report) and closing it is the hangup.
 */
/**
 * Launchers of this process not yet reaped. Checks may run concurrently in one process (a test
 * suite's concurrent tests): each check's scope must leave the other checks' launchers, their
 * sessions and their zombies alone.
 */
export const liveLaunchers = new Set<number>();

export class Launcher {
  readonly pid: number;
  readonly shellKeepsMask: boolean;
  private readonly master: number;
  private readonly stream: ReadStream;
  private readonly token = `daemonspec-${randomBytes(8).toString('hex')}`;
  private text = '';
  private droppedBytes = 0;
  private report: OriginalExit | null = null;
  private waiters: (() => void)[] = [];
  private exitResult: WaitResult | null = null;
  private closed = false;

  constructor(request: LaunchRequest) {
    const shell = findLauncherShell();
    this.shellKeepsMask = shell.keepsMask;
    const pty = openPty();
    this.master = pty.master;
    try {
      this.pid = spawn({
        path: shell.path,
        argv: [
          'daemonspec-launcher',
          '-c',
          LAUNCHER_SCRIPT,
          'daemonspec-launcher',
          this.token,
          request.pidfile ?? '',
          request.stdout ?? '',
          request.stderr ?? '',
          '--',
          ...request.command,
        ],
        env: request.env,
        cwd: request.cwd,
        setsid: true,
        blockedSignals: [TRAP_BLOCKED_SIGNAL],
        defaultSignals: 'all',
        fileActions: [
          // Without O_NOCTTY: the new session leader acquires the pty as its controlling terminal.
          { op: 'open', fd: 0, path: pty.slavePath, flags: O.RDWR },
          { op: 'dup2', from: 0, to: 1 },
          { op: 'dup2', from: 0, to: 2 },
          ...request.traps.handOver.map(({ from, to }) => ({ op: 'dup2' as const, from, to })),
        ],
        closeOtherFds: true,
      });
      liveLaunchers.add(this.pid);
    } catch (error) {
      closeQuietly(pty.master);
      throw error;
    }
    // libuv drives the master non-blocking; it is not a pty slave, so libuv does not reopen it.
    this.stream = new ReadStream(this.master);
    this.stream.on('data', (chunk: Buffer) => this.onData(chunk));
    // EIO once every slave fd is closed: the terminal is gone, nothing more will come.
    this.stream.on('error', () => this.notify());
    this.stream.on('close', () => this.notify());
  }

  private onData(chunk: Buffer): void {
    this.text += chunk.toString('utf8');
    if (this.report === null) this.report = parseReportLine(this.text, this.token);
    if (this.text.length > OUTPUT_LIMIT * 2) {
      const cut = this.text.length - OUTPUT_LIMIT;
      this.droppedBytes += cut;
      this.text = this.text.slice(cut);
    }
    this.notify();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** The report line of the original process's exit, once it has been seen. */
  get originalExit(): OriginalExit | null {
    return this.report;
  }

  /**
   * Waits until the original process has exited (its report line arrived) or the deadline
   * passes; returns the report or null.
   */
  async waitOriginalExit(deadline: number): Promise<OriginalExit | null> {
    while (this.report === null && Date.now() < deadline && !this.closed) {
      if (this.exitResult === null) this.exitResult = reapNow(this.pid);
      if (this.exitResult !== null) {
        liveLaunchers.delete(this.pid);
        break; // the launcher died: no report will come
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(50, Math.max(1, deadline - Date.now())));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.report;
  }

  /** The foreground process group of the pty (the command's group while it runs). */
  foregroundGroup(): number | null {
    try {
      return foregroundGroup(this.master);
    } catch {
      return null;
    }
  }

  /** Kills the command's process group if it still holds the foreground (it never daemonized). */
  killForegroundCommand(): number | null {
    const group = this.foregroundGroup();
    if (group === null || group <= 1 || group === this.pid) return null;
    kill(-group, 9);
    return group;
  }

  /** What the command wrote on the terminal, without the launcher's report line. */
  output(): string {
    const text = this.text.replace(new RegExp(`\\r?\\n?${this.token}[^\\n]*\\n`), '');
    const clean = text.replace(/\r\n/g, '\n');
    return this.droppedBytes > 0 ? `[${this.droppedBytes} earlier bytes dropped]\n${clean}` : clean;
  }

  /**
   * Hangs the terminal up as a logout does: closes the pty master, so the kernel sends SIGHUP
   * to the launcher (the controlling process) and the foreground group. Reaps the launcher;
   * SIGKILL if it has not gone by the deadline.
   */
  async hangup(deadline: number): Promise<WaitResult> {
    if (!this.closed) {
      this.closed = true;
      this.stream.destroy(); // closes the master fd
    }
    if (this.exitResult) return this.exitResult;
    const exited = reap(this.pid);
    const timer = new Promise<null>((resolve) => {
      const t = setTimeout(() => resolve(null), Math.max(0, deadline - Date.now()));
      const stop = (): void => clearTimeout(t);
      exited.then(stop, stop); // a rejection is handled by the awaits below, never left unhandled
    });
    let result = await Promise.race([exited, timer]);
    if (result === null) {
      kill(this.pid, 9);
      result = await exited;
    }
    this.exitResult = result;
    liveLaunchers.delete(this.pid);
    return result;
  }

  /** Release everything without waiting (error paths). */
  async dispose(): Promise<void> {
    if (this.exitResult) return;
    try {
      kill(this.pid, 9);
    } catch {
      // gone
    }
    await this.hangup(Date.now() + 2000).catch((error: unknown) => {
      throw new DaemonspecError('ECHECK', `could not reap the launcher (pid ${this.pid})`, { cause: error });
    });
  }
}
