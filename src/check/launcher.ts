import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { DaemonspecError } from '../errors.js';
import { closeQuietly, kill, reap, reapNow, type WaitResult } from '../ffi/libc.js';
import { SIGNALS } from '../ffi/constants.js';
import { foregroundGroup, openPty } from '../ffi/pty.js';
import { spawn } from '../ffi/spawn.js';
import { NO_CTTY_WORD, slaveOnStdio } from './ctty.js';
import { SETPRIV_PATH } from '../daemon/chain.js';
import { LAUNCHER_NAME, LAUNCHER_SCRIPT, parseReportLine, type OriginalExit } from './launcher-script.js';
import { tracedSpawn } from '../trace/strace.js';
import { interrupted } from './interrupt.js';
import { MARKER_NAME, type Traps } from './traps.js';

export type { OriginalExit } from './launcher-script.js';

/** Terminal output kept for the report: the tail, so the last words before a failure survive. */
const OUTPUT_LIMIT = 64 * 1024;

/**
 * bash keeps the signal mask it inherited when it runs a command; dash empties it in every
 * child (measured here), which would hide the blocked-signal traps. Without bash the check
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
  /** Signal numbers blocked in the launcher (and so in the command). */
  blockedSignals: readonly number[];
  /** Signal numbers the launcher shell sets to SIG_IGN before it runs the command. */
  ignoredSignals: readonly number[];
  /** The umask the launcher shell sets before it runs the command. */
  umask: number;
  pidfile?: string | undefined;
  stdout?: string | undefined;
  stderr?: string | undefined;
  /** Where to copy the pidfile's bytes the instant the command returns (launcher-script.ts); none: not copied. */
  pidfileSnapshot?: string | undefined;
  /** Supplementary groups to plant in the launcher (`check --user`), set by setpriv --groups before the shell; none: the checker's. */
  groups?: readonly number[] | undefined;
  /** A planted caller's shape (caller-plant.ts); absent: the fixed traps' caller (foreground, job control, a terminal). */
  shape?: LaunchShape | undefined;
  /** Run the launcher under strace (`--trace`): the strace path and the file it writes. */
  trace?: { strace: string; output: string } | undefined;
  /** More fds to hand over at a number (source → fd), after the traps: the notification fd of `--notify-fd`. */
  extraFds?: readonly { from: number; to: number }[] | undefined;
  /** The check's tag, a soft RLIMIT_MSGQUEUE the launcher sets (scope-tag.ts); none: untagged. */
  scopeTag?: number | null | undefined;
}

/**
 * The launcher shell's notice of the command's job ended by a signal (`daemonspec-launcher: line
 * 13: 4242 Killed   "$@"`, and the command's redirections after it when the caller's stdio is
 * planted): the report says how the command ended, and this is not its output.
 */
const JOB_NOTICE = new RegExp(`^${LAUNCHER_NAME}: line \\d+: +\\d+ [^\\n]*"\\$@"[^\\n]*\\n?`, 'gm');

/** The launcher's program and argv: the shell, or setpriv setting the planted groups and then exec'ing the shell. */
function launcherArgv(shell: string, args: string[], groups: readonly number[] | undefined): { path: string; argv: string[] } {
  if (groups === undefined) return { path: shell, argv: [LAUNCHER_NAME, ...args] };
  return { path: SETPRIV_PATH, argv: ['setpriv', '--groups', groups.join(','), '--', shell, ...args] };
}

/** The launcher's program, argv and environment: as launcherArgv() says, under strace with `--trace`. */
function launcherProgram(request: LaunchRequest, shell: string, token: string, slavePath: string): { path: string; argv: string[]; env: Record<string, string> } {
  const { shape } = request;
  const args = [
    '-c',
    LAUNCHER_SCRIPT,
    LAUNCHER_NAME,
    token,
    request.pidfile ?? '',
    request.stdout ?? '',
    request.stderr ?? '',
    request.ignoredSignals.join(' '),
    request.umask.toString(8).padStart(3, '0'),
    shape?.noControllingTty ? '' : slavePath,
    request.pidfileSnapshot ?? '',
    shape?.nofile == null ? '' : String(shape.nofile),
    shape === undefined || shape.jobControl ? 'm' : '',
    shape?.background ? '&' : '',
    shape?.redirections ?? '',
    request.scopeTag == null ? '' : String(request.scopeTag),
    '--',
    ...request.command,
  ];
  const plain = { ...launcherArgv(shell, args, request.groups), env: request.env };
  return request.trace ? tracedSpawn(request.trace.strace, request.trace.output, MARKER_NAME, plain) : plain;
}

/** How a planted caller runs the command (see LAUNCHER_SCRIPT). */
export interface LaunchShape {
  /** The soft RLIMIT_NOFILE the launcher sets, or null. */
  nofile: number | null;
  /** Job control (own process group on the terminal); off without a controlling terminal or for a session leader. */
  jobControl: boolean;
  background: boolean;
  /** Redirections applied to the command only (shell syntax, paths quoted). */
  redirections: string;
  /** The pty slave is opened with O_NOCTTY: the launcher's session has no controlling terminal. */
  noControllingTty: boolean;
  /** Extra fd numbers that get another copy of the terminal (a dup of fd 0). */
  ttyFds: number[];
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
  private noCtty = false;
  private waiters: (() => void)[] = [];
  private exitResult: WaitResult | null = null;
  private closed = false;

  /** The terminal's path (its identity is the one of a planted tty fd). */
  readonly slavePath: string;

  constructor(request: LaunchRequest) {
    // An interrupt's grace lets the event loop run: a check going on meanwhile starts nothing new.
    if (interrupted()) throw new DaemonspecError('ECHECK', 'the command was not launched: the check is being interrupted');
    const shell = findLauncherShell();
    this.shellKeepsMask = shell.keepsMask;
    const pty = openPty();
    this.master = pty.master;
    this.slavePath = pty.slavePath;
    const shape = request.shape;
    try {
      this.pid = spawn({
        ...launcherProgram(request, shell.path, this.token, pty.slavePath),
        cwd: request.cwd,
        setsid: true,
        blockedSignals: [...request.blockedSignals],
        defaultSignals: 'all',
        fileActions: [
          // The shell acquires the pty as its controlling terminal itself (ctty.ts), unless the
          // planted caller has none.
          ...slaveOnStdio(pty.slavePath),
          ...[...request.traps.handOver, ...(request.extraFds ?? [])].map(({ from, to }) => ({ op: 'dup2' as const, from, to })),
          ...(shape?.ttyFds ?? []).map((to) => ({ op: 'dup2' as const, from: 0, to })),
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
    // A read ends wherever the terminal's buffer did, often inside a character: decode across reads.
    this.stream.setEncoding('utf8');
    this.stream.on('data', (chunk: string) => this.onData(chunk));
    // EIO once every slave fd is closed: the terminal is gone, nothing more will come.
    this.stream.on('error', () => this.notify());
    this.stream.on('close', () => this.notify());
  }

  private onData(chunk: string): void {
    this.text += chunk;
    if (this.report === null) this.report = parseReportLine(this.text, this.token);
    if (this.text.includes(`${this.token} ${NO_CTTY_WORD}`)) this.noCtty = true;
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
   * passes; returns the report or null. Throws ECHECK when the launcher could not make the pty
   * its controlling terminal: every terminal rule would then pass for any command.
   */
  async waitOriginalExit(deadline: number): Promise<OriginalExit | null> {
    while (this.report === null && Date.now() < deadline && !this.closed) {
      if (this.noCtty) {
        throw new DaemonspecError(
          'ECHECK',
          `the launcher (pid ${this.pid}) could not make its pty the controlling terminal of its session, so the terminal rules cannot be judged; run \`daemonspec doctor\` and see its pty line`,
          { pid: this.pid },
        );
      }
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

  /**
   * How the launcher shell ended, once it was reaped; null while it runs. Before the report
   * line it ends only when the command takes it down (kills its parent's process group, or
   * hangs the terminal up with vhangup()).
   */
  get shellExit(): WaitResult | null {
    return this.exitResult;
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
    kill(-group, SIGNALS.SIGKILL);
    return group;
  }

  /** What the command wrote on the terminal, without the launcher's report line. */
  output(): string {
    const text = this.text.replace(new RegExp(`\\r?\\n?${this.token}[^\\n]*\\n`), '');
    const clean = text.replace(/\r\n/g, '\n').replace(JOB_NOTICE, '');
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
      kill(this.pid, SIGNALS.SIGKILL);
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
      kill(this.pid, SIGNALS.SIGKILL);
    } catch {
      // gone
    }
    await this.hangup(Date.now() + 2000).catch((error: unknown) => {
      throw new DaemonspecError('ECHECK', `could not reap the launcher (pid ${this.pid})`, { cause: error });
    });
  }
}
