import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, it, onTestFinished, vi } from 'vitest';
import { CLI, listDir, scene, tagged } from './support.js';

/*
 * The let-go stops the outer sh and waits for the stop. A tracer attached to the outer (a debugger,
 * an strace that does not pass the stop on) holds it in a ptrace stop its parent is never told of:
 * that wait must not block the starter's event loop, or a Ctrl-C could never undo the start. Here a
 * tracer that never answers holds the outer; SIGINT to `run` must still kill the daemon.
 */

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').slice(0, -1);
  } catch {
    return [];
  }
}

/** The one-letter state of `pid` ('' once it is gone). */
function state(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return '';
  }
}

function parent(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

/** PTRACE_SEIZE on `pid`, then nothing: every stop of the tracee stays unanswered until stdin closes. */
const TRACER = `
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
if libc.ptrace(0x4206, int(sys.argv[1]), None, None) != 0:
    print('errno', ctypes.get_errno(), flush=True); sys.exit(1)
print('seized', flush=True)
sys.stdin.read()
`;

it('an outer sh held by a tracer at the let-go: SIGINT still undoes the start (the daemon is killed, no pidfile) and the caller dies of it', async () => {
  const s = scene();
  const pidfile = s.path('d.pid');
  const readyFile = s.path('ready');
  const caller = spawn(process.execPath, [CLI, 'run', '--ready-file', readyFile, '--timeout', '60', '--pidfile', pidfile, '--', '/bin/sleep', '78'], {
    env: s.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  caller.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => caller.on('exit', (code, sig) => resolve(sig ?? code)));
  onTestFinished(() => {
    caller.kill('SIGKILL');
  });
  const outerSh = (): number | undefined => tagged(s.tag).find((pid) => parent(pid) === caller.pid && cmdline(pid)[0] === '/bin/sh');
  const daemon = (): number | undefined => tagged(s.tag).find((pid) => cmdline(pid)[0] === '/bin/sleep');
  // The daemon runs and the start waits for the ready file.
  await vi.waitFor(() => expect(outerSh() !== undefined && daemon() !== undefined, stderr).toBe(true), { timeout: 20_000, interval: 10 });
  const outer = outerSh()!;
  const daemonPid = daemon()!;

  const tracer = spawn('python3', ['-c', TRACER, String(outer)], { stdio: ['pipe', 'pipe', 'inherit'] });
  onTestFinished(() => {
    tracer.kill('SIGKILL');
  });
  let said = '';
  tracer.stdout.setEncoding('utf8').on('data', (chunk: string) => (said += chunk));
  await vi.waitFor(() => expect(said).toMatch(/\n$/), { timeout: 10_000, interval: 10 });
  expect(said).toBe('seized\n');

  writeFileSync(readyFile, '');
  // The let-go's SIGSTOP: the outer is in a ptrace stop ('t') nobody answers.
  await vi.waitFor(() => expect(state(outer)).toBe('t'), { timeout: 10_000, interval: 10 });
  caller.kill('SIGINT');
  // The tracer still holds the killed outer (its parent cannot reap it): the undo ends all the same.
  expect(await exited, stderr).toBe('SIGINT');
  expect(['', 'Z']).toContain(state(daemonPid));
  tracer.stdin.end(); // the tracer lets go of the outer's zombie, which init reaps
  await vi.waitFor(() => expect(tagged(s.tag)).toEqual([]), { timeout: 10_000, interval: 10 });
  expect(listDir(s.dir)).toEqual(['ready']); // no pidfile, no temporary file: only the test's own ready file
});
