import { waitFor } from '../support/wait.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { O } from '../../src/ffi/constants.js';
import { kill, processExists, reap, type WaitResult } from '../../src/ffi/libc.js';
import { spawn, type FileAction } from '../../src/ffi/spawn.js';
import { testDir } from '../support/temp-dir.js';

/** The Debian interpreter (not a pyenv shim on PATH), used for the tiny programs of these specs. */
export const PYTHON = '/usr/bin/python3';

export interface Started {
  pid: number;
  /** Resolves when the process has been reaped. */
  exited: Promise<WaitResult>;
  /** What the process wrote to stdout and stderr so far. */
  output(): string;
}

export interface StartOptions {
  setsid?: boolean;
  pgroup?: number;
  fileActions?: FileAction[];
  env?: Record<string, string>;
}

/**
 * Starts a real process with posix_spawn (default signals, empty mask, stdin /dev/null, output to a
 * file) and registers its end: SIGKILL to it if still running and, when it was started as the
 * leader of its own group (`setsid`, `pgroup: 0`), to that whole group; then reap.
 */
export function start(argv: string[], options: StartOptions = {}): Started {
  // Removed when the test finishes, after the process (and its group) is killed and reaped below.
  let end: () => Promise<void> = async () => undefined;
  const dir = testDir('ds-posix-', () => end());
  const log = join(dir, 'output');
  const pid = spawn({
    path: argv[0]!,
    argv,
    env: { ...process.env, ...options.env },
    ...(options.setsid ? { setsid: true } : {}),
    ...(options.pgroup !== undefined ? { pgroup: options.pgroup } : {}),
    blockedSignals: [],
    defaultSignals: 'all',
    closeOtherFds: true,
    fileActions: [
      { op: 'open', fd: 0, path: '/dev/null', flags: O.RDONLY },
      { op: 'open', fd: 1, path: log, flags: O.WRONLY | O.CREAT | O.APPEND, mode: 0o600 },
      { op: 'dup2', from: 1, to: 2 },
      ...(options.fileActions ?? []),
    ],
  });
  const exited = reap(pid);
  const leadsGroup = options.setsid === true || options.pgroup === 0;
  end = async () => {
    // The group outlives its leader: children it left behind are still in it (ESRCH: none left).
    if (leadsGroup) kill(-pid, 9);
    if (processExists(pid)) kill(pid, 9);
    await exited;
  };
  return { pid, exited, output: () => readFileSync(log, 'utf8') };
}

/** Waits for a line `key=value` (JSON value) in a process's output. */
export async function report<T = unknown>(p: Started, key: string): Promise<T> {
  const pattern = new RegExp(`^${key}=(.*)$`, 'm');
  const line = await waitFor(`"${key}=" from pid ${p.pid}`, () => pattern.exec(p.output())?.[1], { seen: () => JSON.stringify(p.output()) });
  return JSON.parse(line) as T;
}

export { statFields } from '../support/proc.js';

/**
 * Python prelude for the tiny programs: `say(key, value)` prints `key=<json>` unbuffered, and
 * `stat()` returns this process's ids and terminal from /proc/self/stat.
 */
export const PY_PRELUDE = `
import json, os, sys, signal, errno
def say(key, value):
    sys.stdout.write(key + '=' + json.dumps(value) + '\\n'); sys.stdout.flush()
def stat(pid='self'):
    s = open('/proc/%s/stat' % pid).read()
    f = s[s.rindex(')') + 2:].split()
    return {'pid': os.getpid() if pid == 'self' else int(pid), 'ppid': int(f[1]), 'pgrp': int(f[2]), 'sid': int(f[3]), 'tty_nr': int(f[4]), 'tpgid': int(f[5])}
`;

/** Argv that runs a Python program (the prelude prepended). */
export function py(code: string, ...args: string[]): string[] {
  return [PYTHON, '-c', PY_PRELUDE + code, ...args];
}

/**
 * Skip with a reason where a capability is missing, but never on the CI host: there the
 * capability is part of the environment we promise, so its absence is a failure.
 */
export function skipUnlessCapable(context: { skip: (note?: string) => void }, missing: string | null): void {
  if (missing === null) return;
  if (process.env.CI && !process.env.DAEMONSPEC_IN_CONTAINER) throw new Error(`required capability missing on the CI host: ${missing}`);
  context.skip(missing);
}

export { waitFor } from '../support/wait.mjs';
