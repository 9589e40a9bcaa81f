import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { createTraps, lift, trapIdentity } from '../../src/check/traps.js';
import { closeQuietly, processExists, reapNow } from '../../src/ffi/libc.js';
import { bindDatagram } from '../../src/ffi/socket.js';
import { spawn } from '../../src/ffi/spawn.js';
import { inspect, isRunning, isZombie } from '../../src/inspect/index.js';
import { stdinHeldShell } from '../support/stdin-held.js';
import { testDir } from '../support/temp-dir.js';

/*
 * Portable: no /proc, nothing Linux-only. Each test sets up a process with a known state with
 * posix_spawn and inspects it through the public API, so these are what a Mac runs first
 * (issue 18: a trap pipe, a zombie, a session without a terminal).
 */

/** A child that waits for EOF on its stdin (a pipe whose write end the test holds); ended by the test. */
function waiter(options: { setsid?: boolean; fileActions?: { op: 'dup2'; from: number; to: number }[] } = {}): { pid: number; release(): void } {
  return stdinHeldShell('read _ || :', options);
}

describe('inspecting processes set up with a known state (portable)', () => {
  test('a new session without a terminal: sid = pgid = pid, no tty, no foreground group', () => {
    const { pid } = waiter({ setsid: true });
    const s = inspect(pid);
    expect(s.sid).toBe(pid);
    expect(s.pgid).toBe(pid);
    expect(s.tty).toBeNull();
    expect(s.tpgid).toBeNull();
    expect(s.ppid).toBe(process.pid);
  });

  test('a leaked trap pipe is recognised by its identity in the child (macOS: pipe_handle = st_ino)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ds-portable-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const traps = createTraps(dir, { pipe: 41, file: 42 });
    onTestFinished(() => traps.release());
    const { pid } = waiter({ fileActions: traps.handOver.map(({ from, to }) => ({ op: 'dup2' as const, from, to })) });
    const fds = inspect(pid).fds;
    expect(fds).not.toBeNull();
    const byFd = new Map(fds!.map((fd) => [fd.fd, fd]));
    expect(byFd.get(41)).toMatchObject({ kind: 'pipe', target: traps.objects[0]!.target, access: 'w' });
    expect(byFd.get(42)).toMatchObject({ kind: 'file', target: traps.objects[1]!.target, access: 'r' });
    // Two different pipes never share an identity.
    const other = fds!.find((fd) => fd.fd === 0)!;
    expect(other.kind).toBe('pipe');
    expect(other.target).not.toBe(traps.objects[0]!.target);
  });

  test('a planted socket is recognised by its identity in the child (macOS: soi_so from proc_pidfdinfo, not fstat\'s st_ino)', () => {
    const dir = testDir('ds-portable-socket-');
    const socket = lift(bindDatagram(join(dir, 's')));
    onTestFinished(() => closeQuietly(socket));
    const trap = trapIdentity(socket, 'socket', 43);
    expect(trap.target).toMatch(/^socket:\[\d+\]$/);
    const { pid } = waiter({ fileActions: [{ op: 'dup2', from: socket, to: 43 }] });
    const fds = inspect(pid).fds!;
    expect(fds.find((fd) => fd.fd === 43)).toMatchObject({ kind: 'socket', target: trap.target });
    // Another socket of the child's is not it.
    const other = lift(bindDatagram(join(dir, 't')));
    onTestFinished(() => closeQuietly(other));
    expect(trapIdentity(other, 'socket', 44).target).not.toBe(trap.target);
  });

  test('a zombie is not running (isRunning), is seen as a zombie, and inspect still answers', async () => {
    const pid = spawn({ path: '/bin/sh', argv: ['sh', '-c', 'exit 0'], env: {}, setsid: true, closeOtherFds: true });
    onTestFinished(() => {
      if (processExists(pid)) reapNow(pid);
    });
    // Not reaped: it stays a zombie until the test reaps it.
    await vi.waitFor(() => expect(isZombie(pid)).toBe(true), { timeout: 10_000, interval: 20 });
    expect(processExists(pid)).toBe(true); // kill(pid, 0) succeeds for a zombie
    expect(isRunning(pid)).toBe(false);
    const s = inspect(pid);
    expect(s.state).toBe('Z');
    expect(s.sid).toBe(pid); // a session leader: known even where getsid() refuses zombies (macOS)
    expect(s.fds ?? []).toEqual([]); // a zombie holds no files (Linux: an empty list; macOS: unknown)
    expect(reapNow(pid)?.exitCode).toBe(0);
  });
});
