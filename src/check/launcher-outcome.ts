import { existsSync } from 'node:fs';
import { signalName } from '../ffi/constants.js';
import type { WaitResult } from '../ffi/libc.js';
import type { Launcher, OriginalExit } from './launcher.js';
import { readLogWindow, type LogWindow } from './log-window.js';
import type { ResolvedProfile } from './profiles.js';
import type { LauncherResult } from './report-types.js';
import { logRegex } from './rules/rule.js';

/** How the command's original process ended, and the notes that explain it. */
export interface LauncherOutcome {
  /** What the launcher reported (null: it never reported the exit). */
  exit: OriginalExit | null;
  result: LauncherResult;
  notes: string[];
}

/** Whether the daemon was ready when the original exited: the ready-log line, else a live pid in the pidfile. */
function readyAtExit(expect: ResolvedProfile['expect'], exit: OriginalExit, logs: { stdout: LogWindow; stderr: LogWindow }): boolean | null {
  if (expect.readyLog !== undefined) {
    const text = `${readLogWindow(logs.stdout, exit.stdoutSize) ?? ''}\n${readLogWindow(logs.stderr, exit.stderrSize) ?? ''}`;
    return logRegex(expect.readyLog).test(text);
  }
  if (expect.pidfile !== undefined) return exit.pidfilePid !== null && exit.pidfileAlive;
  return null;
}

/** A failing command given relative paths: they do not resolve in the temporary directory it runs in. */
function relativePathNote(command: readonly string[]): string[] {
  const relative = command.slice(1).filter((arg) => /^\.{0,2}[\w-]*\//.test(arg) && !arg.startsWith('/') && existsSync(arg));
  if (relative.length === 0) return [];
  return [`the command runs in a temporary directory, where relative paths such as ${relative[0]} do not resolve: give absolute paths`];
}

/** "was killed by SIGHUP", "exited with status 0": how the launcher shell ended. */
function shellEnding(shell: WaitResult): string {
  return shell.signal !== null ? `was killed by ${signalName(shell.signal)}` : `exited with status ${shell.exitCode ?? '?'}`;
}

/**
 * The shell's `$?` of the original process as an exit code or a signal (128+N: killed by N);
 * both null when it never returned or was killed at the deadline.
 */
export function originalEnding(status: number | null, timedOut: boolean): Pick<LauncherResult, 'exitCode' | 'signal'> {
  const killedBy = status !== null && status > 128 ? status - 128 : null;
  return { exitCode: timedOut || status === null || killedBy !== null ? null : status, signal: killedBy !== null ? signalName(killedBy) : null };
}

/**
 * Waits for the original process to exit; past the deadline its process group is killed and
 * the result says `timedOut`. When the launcher shell itself ends first (the command killed its
 * parent's process group, or hung up the terminal), the result says how, with the time it took:
 * not a timeout.
 */
export async function awaitLauncher(
  launcher: Launcher,
  request: { command: readonly string[]; profile: ResolvedProfile; timeoutMs: number },
  logs: { stdout: LogWindow; stderr: LogWindow },
): Promise<LauncherOutcome> {
  const notes: string[] = [];
  const started = Date.now();
  let exit = await launcher.waitOriginalExit(started + request.timeoutMs);
  let timedOut = false;
  const shell = exit === null ? launcher.shellExit : null;
  if (shell !== null) {
    notes.push(
      `the launching shell (the command's parent, leader of the terminal's session) ${shellEnding(shell)} ` +
        `${Date.now() - started} ms after the launch, before the command returned: the command killed its parent's ` +
        'process group or hung up its terminal (vhangup); its own exit status was not seen',
    );
  } else if (exit === null) {
    timedOut = true;
    const group = launcher.killForegroundCommand();
    notes.push(`the command did not return within ${request.timeoutMs} ms; killed its process group ${group ?? '?'}`);
    exit = await launcher.waitOriginalExit(Date.now() + 2000);
  }
  const result: LauncherResult = {
    ...originalEnding(exit?.status ?? null, timedOut),
    readyAtExit: !timedOut && exit ? readyAtExit(request.profile.expect, exit, logs) : null,
    timedOut,
    ...(shell !== null ? { shellEnded: shellEnding(shell) } : {}),
  };
  if (exit === null && shell === null) notes.push('the launcher never reported the exit of the command');
  if (result.exitCode !== null && result.exitCode !== 0) notes.push(...relativePathNote(request.command));
  return { exit, result, notes };
}
