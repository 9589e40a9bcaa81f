import { execFile } from 'node:child_process';

export interface CommandOutcome {
  /** Exit status, or null when the command could not start, was killed or timed out. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the program does not exist (ENOENT) or could not be started. */
  startError: string | null;
  timedOut: boolean;
}

/** Runs a short probe command to completion; never throws. */
export function runCommand(file: string, args: readonly string[], timeoutMs: number): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' }, (error, stdout, stderr) => {
      const err = error as (NodeJS.ErrnoException & { killed?: boolean; code?: string | number }) | null;
      const startError = err && typeof err.code === 'string' ? err.code : null;
      const timedOut = Boolean(err?.killed);
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), startError, timedOut });
    });
  });
}

/** The first line of a command's stderr, for an error message. */
export function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}
