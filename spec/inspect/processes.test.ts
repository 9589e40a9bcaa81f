import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { kill, processExists, reap } from '../../src/ffi/libc.js';
import { spawn } from '../../src/ffi/spawn.js';
import {
  childrenOf,
  hasEnvMarker,
  inspect,
  isRunning,
  isZombie,
  processesWhere,
  processStartTime,
  processSummary,
} from '../../src/inspect/index.js';
import { SH, SLEEP, start, whenRunning } from './helpers.js';

const MARKER = 'DAEMONSPEC_TEST_RUN';

describe.runIf(process.platform === 'linux')('process search', () => {
  test('childrenOf lists our spawned children, and a grandchild under its own parent', async () => {
    const a = start({ path: SLEEP, argv: ['sleep', '60'] });
    // sh forks sleep as a child (not exec: a second command follows) and waits for it.
    const b = start({ path: SH, argv: ['sh', '-c', 'sleep 60; exit 0'], setsid: true });
    expect(childrenOf(process.pid)).toEqual(expect.arrayContaining([a, b]));
    await vi.waitFor(() => expect(childrenOf(b)).toHaveLength(1), { timeout: 10_000, interval: 5 });
    const [grandchild] = childrenOf(b);
    onCleanupKill(grandchild!);
    await vi.waitFor(() => expect(processSummary(grandchild!)).toMatchObject({ ppid: b, sid: b, name: 'sleep' }), {
      timeout: 10_000,
      interval: 5,
    });
    expect(childrenOf(4_000_000)).toEqual([]);
  });

  test('processesWhere finds a session by sid (how the checker finds a daemon)', async () => {
    const leader = start({ path: SH, argv: ['sh', '-c', 'sleep 60 & sleep 60; exit 0'], setsid: true });
    await vi.waitFor(
      () => expect(processesWhere((p) => p.sid === leader && p.name === 'sleep')).toHaveLength(2),
      { timeout: 10_000, interval: 5 },
    );
    const members = processesWhere((p) => p.sid === leader);
    for (const m of members) if (m.pid !== leader) onCleanupKill(m.pid);
    expect(members.map((m) => m.pid)).toContain(leader);
    expect(members.filter((m) => m.name === 'sleep')).toHaveLength(2);
    expect(members.every((m) => m.ttyDevice === 0)).toBe(true);
  });

  test('hasEnvMarker reads the environment as at execve', async () => {
    const value = process.env[MARKER]!;
    const pid = start({ path: SLEEP, argv: ['sleep', '60'], env: { ...process.env, EXTRA: 'a=b c' } });
    await whenRunning(pid, 'sleep');
    expect(hasEnvMarker(pid, MARKER, value)).toBe(true);
    expect(hasEnvMarker(pid, MARKER, `${value}x`)).toBe(false);
    expect(hasEnvMarker(pid, 'EXTRA', 'a=b c')).toBe(true);
    expect(hasEnvMarker(4_000_000, MARKER, value)).toBe(false);
  });

  test('processStartTime, isRunning and isZombie guard against pid reuse and dead processes', async () => {
    const pid = start({ path: SLEEP, argv: ['sleep', '60'] });
    const s = await whenRunning(pid, 'sleep');
    expect(processStartTime(pid)).toBe(s.startTime);
    expect(isRunning(pid, s.startTime)).toBe(true);
    expect(isRunning(pid, s.startTime + 1)).toBe(false);
    expect(isZombie(pid)).toBe(false);
    expect(processStartTime(4_000_000)).toBeNull();

    const dead = spawn({ path: '/bin/true', argv: ['true'], env: process.env });
    await vi.waitFor(() => expect(isZombie(dead)).toBe(true), { timeout: 10_000, interval: 5 });
    expect(isRunning(dead)).toBe(false);
    expect(inspect(dead).state).toBe('Z');
    await reap(dead);
    expect(isZombie(dead)).toBe(false);
    expect(processStartTime(dead)).toBeNull();
  });
});

/** Grandchildren are not ours to reap: kill them and let their parent (or init) reap. */
function onCleanupKill(pid: number): void {
  onTestFinished(() => {
    if (processExists(pid)) kill(pid, 9);
  });
}
