import { spawn } from 'node:child_process';
import { interrupted } from '../check/interrupt.js';
import { isolatedRunners } from '../check/isolated-runners.js';
import { DaemonspecError } from '../errors.js';

export interface ChildResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface ChildOptions {
  deadlineMs: number;
  env?: NodeJS.ProcessEnv;
  /** Called once when the deadline passes, before the child is killed (e.g. `docker rm -f`). */
  onTimeout?: () => Promise<void>;
}

/**
 * Runs a program to completion, collecting its output. Past the deadline, `onTimeout` runs and
 * then the child is killed with SIGKILL; the result says `timedOut`. Never rejects for a
 * non-zero exit: the caller judges the result. Rejects only when the program cannot start.
 */
export function runChild(file: string, args: readonly string[], options: ChildOptions): Promise<ChildResult> {
  if (interrupted()) return Promise.reject(new DaemonspecError('ECHECK', `${file} was not started: the command is being interrupted`));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
    const pid = child.pid;
    if (pid !== undefined) isolatedRunners.add(pid);
    child.once('exit', () => pid !== undefined && isolatedRunners.delete(pid));
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void (options.onTimeout ?? (() => Promise.resolve()))()
        .catch(() => undefined)
        .finally(() => child.kill('SIGKILL'));
    }, options.deadlineMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
      });
    });
  });
}

/** The last lines of a program's stderr, for an error's detail. */
export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
