import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { O } from '../../src/ffi/constants.js';
import { kill, reap, reapNow } from '../../src/ffi/libc.js';
import { spawn } from '../../src/ffi/spawn.js';
import { openLifeLine, type LifeLine } from '../../src/daemon/parent-death.js';

/*
 * The life line (src/daemon/parent-death.ts): a process that holds its read end and is bound
 * as its owner is SIGKILLed by the kernel once the write end closes, as the outer sh of a start
 * is when its starter dies. Real processes: a sleep stands for the outer sh.
 */

/** A sleep holding the life line's read end at fd 3, as the outer sh holds it. */
function holder(chainSide: number): number {
  return spawn({
    path: '/bin/sleep',
    argv: ['/bin/sleep', '300'],
    env: {},
    fileActions: [
      { op: 'open', fd: 0, path: '/dev/null', flags: O.RDONLY },
      { op: 'dup2', from: chainSide, to: 3 },
    ],
    closeOtherFds: true,
    keepFds: [3],
  });
}

/** Kills and reaps `pid` unless a test reaped it already. */
async function killIfLeft(pid: number): Promise<void> {
  try {
    if (reapNow(pid) !== null) return;
  } catch {
    return; // reaped by the test
  }
  kill(pid, 9);
  await reap(pid);
}

/** Runs `body` with a sleep holding a fresh life line and bound as its owner; closes the line and kills the sleep after. */
async function withBoundHolder(body: (line: LifeLine, pid: number) => Promise<void> | void): Promise<void> {
  const line = openLifeLine()!;
  const pid = holder(line.chainSide);
  try {
    line.bind(pid);
    await body(line, pid);
  } finally {
    line.close();
    await killIfLeft(pid);
  }
}

describe.runIf(process.platform === 'linux')('the life line', () => {
  it('its owner is SIGKILLed when the write end closes, and holds no write end itself', () =>
    withBoundHolder(async (line, pid) => {
      expect(readFileSync(`/proc/${pid}/fdinfo/3`, 'utf8')).toMatch(/^flags:\s+0*20000$/m); // O_RDONLY | O_ASYNC (020000)
      line.close();
      expect(await reap(pid)).toMatchObject({ pid, signal: 9 });
    }));

  it('a stopped owner is killed too (the let-go stops the outer sh for a moment)', () =>
    withBoundHolder(async (line, pid) => {
      kill(pid, 19); // SIGSTOP
      line.close();
      expect(await reap(pid)).toMatchObject({ pid, signal: 9 });
    }));

  it('closing this process\'s read end (bind does) leaves the owner alone: only the write end\'s close signals', () =>
    withBoundHolder((_line, pid) => {
      expect(reapNow(pid)).toBeNull();
      expect(readFileSync(`/proc/${pid}/stat`, 'utf8')).not.toMatch(/^\d+ \(sleep\) Z /);
    }));
});
