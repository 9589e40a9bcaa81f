import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { MARKER_NAME } from '../traps.js';
import { DaemonspecError } from '../../errors.js';
import { interrupted } from '../interrupt.js';

const OUTPUT_LIMIT = 16 * 1024;

export interface StopCommandResult {
  /** Exit status; null when it was killed at the deadline (or by a signal). */
  exit: number | null;
  /** Its last lines of output (stdout and stderr together, at most 5). */
  lastLines: string[];
}

/**
 * Runs a tool's own stop command with /bin/sh -c, in the check's environment, until it exits or
 * the deadline passes (then SIGKILL). It carries a marker value of its own, so no check takes it
 * for a process of the daemon.
 */
/** SIGKILL to the stop command's process group (its pid is the group's id). */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

export function runStopCommand(command: string, env: Record<string, string>, cwd: string, deadline: number): Promise<StopCommandResult> {
  if (interrupted()) return Promise.reject(new DaemonspecError('ECHECK', 'the stop command was not run: the check is being interrupted'));
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      env: { ...env, [MARKER_NAME]: `stop-command-${randomBytes(4).toString('hex')}` },
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      // A process group of its own, so the deadline ends what the command started too: killing sh
      // alone would leave its children holding the output pipes, and 'close' would never come.
      detached: true,
    });
    let output = '';
    const keep = (chunk: string): void => {
      output = (output + chunk).slice(-OUTPUT_LIMIT);
    };
    // Each stream decoded on its own, so a character split between two reads stays whole.
    child.stdout.setEncoding('utf8').on('data', keep);
    child.stderr.setEncoding('utf8').on('data', keep);
    const timer = setTimeout(() => killGroup(child.pid), Math.max(0, deadline - Date.now()));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const lastLines = output.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '').slice(-5);
      resolve({ exit: code, lastLines });
    });
  });
}
