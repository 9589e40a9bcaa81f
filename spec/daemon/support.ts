import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { reap } from '../../src/ffi/libc.js';
import { spawn } from '../../src/ffi/spawn.js';
import { parentOf, taggedPids } from '../support/proc.js';
import { testDir } from '../support/temp-dir.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export { CLI } from '../cli/run-cli.js';
export const FIXTURES = join(ROOT, 'fixtures/node-daemonize');
export const TAG = 'DAEMONSPEC_SPEC_TAG';

export { procView as proc, sigBit as sigbit, type ProcView } from '../support/proc.js';

/** Pids of this process and its ancestors: where an orphan may be reparented (init or a subreaper). */
export function ancestors(): number[] {
  const out: number[] = [];
  let pid = process.pid;
  while (pid > 0 && !out.includes(pid)) {
    out.push(pid);
    pid = parentOf(pid) ?? 0;
  }
  return out;
}

export { isRunning } from '../../src/inspect/index.js';

/** Processes whose environment carries this tag: everything a test started, escaped daemons included. */
export function tagged(tag: string): number[] {
  return taggedPids(TAG, tag);
}

export interface Scene {
  dir: string;
  tag: string;
  /** process.env plus the tag: pass it to everything the test starts. */
  env: Record<string, string>;
  path(name: string): string;
}

/**
 * A temporary directory and a tag for one test. When the test finishes, every process carrying
 * the tag is SIGKILLed and the directory removed.
 */
export function scene(): Scene {
  const tag = randomBytes(6).toString('hex');
  const dir = testDir('daemonspec-daemon-', () => {
    for (const pid of tagged(tag)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  env[TAG] = tag;
  return { dir, tag, env, path: (name) => join(dir, name) };
}

export interface CallerResult {
  pid: number;
  exitCode: number | null;
  signal: number | null;
  stdout: string;
  stderr: string;
  /** The file the caller leaked at fd 9 (non-CLOEXEC). */
  leakPath: string;
  cwd: string;
}

export const LEAK_FD = 9;
export const SIGUSR1 = 10;
export const SIGUSR2 = 12;

/**
 * Runs argv as a caller with traps set: a leaked non-CLOEXEC fd 9, SIGUSR1 blocked, SIGUSR2 and
 * SIGHUP ignored, umask 077, an odd cwd (a fresh directory with a space in its name). The caller
 * is started through posix_spawn (src/ffi/spawn.ts) and `sh`, which sets the ignores and umask
 * and execs argv. Resolves when the caller exits.
 */
export async function trappedCaller(s: Scene, argv: readonly string[]): Promise<CallerResult> {
  const leakPath = s.path('leaked-by-caller');
  const cwd = s.path('odd cwd');
  mkdirSync(cwd, { recursive: true });
  const leak = openSync(leakPath, 'w');
  const out = s.path(`caller-${randomBytes(3).toString('hex')}`);
  try {
    const pid = spawn({
      path: '/bin/sh',
      argv: ['sh', '-c', 'trap "" USR2 HUP; umask 077; exec "$@"', 'caller', ...argv],
      env: s.env,
      cwd,
      blockedSignals: [SIGUSR1],
      fileActions: [
        { op: 'open', fd: 0, path: '/dev/null', flags: 0 },
        { op: 'open', fd: 1, path: `${out}.out`, flags: 0o1101 /* O_WRONLY|O_CREAT|O_TRUNC */, mode: 0o644 },
        { op: 'open', fd: 2, path: `${out}.err`, flags: 0o1101, mode: 0o644 },
        { op: 'dup2', from: leak, to: LEAK_FD },
      ],
    });
    const result = await reap(pid);
    return {
      pid,
      exitCode: result.exitCode,
      signal: result.signal,
      stdout: readFileSync(`${out}.out`, 'utf8'),
      stderr: readFileSync(`${out}.err`, 'utf8'),
      leakPath,
      cwd,
    };
  } finally {
    closeSync(leak);
  }
}

/** The pid in a pidfile, waiting for nothing: the caller has exited, so it must be there. */
export function pidFrom(pidfile: string): number {
  const text = readFileSync(pidfile, 'latin1');
  const match = /^(\d+)\n$/.exec(text);
  if (!match) throw new Error(`pidfile ${pidfile} holds ${JSON.stringify(text)}, not "PID\\n"`);
  return Number(match[1]);
}

export function listDir(dir: string): string[] {
  return readdirSync(dir).sort();
}
