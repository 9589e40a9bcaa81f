/**
 * The sweep that ends an interrupted check, fuzz or matrix, and the vitest helpers' clean-up. A
 * process in the middle of its execve has no environment to read for a moment, so one scan can
 * miss the tag of a process that is ours; an interrupted fuzz once exited with a daemonizer's
 * exec still running. The predicate below misses the process at its first scan, as such a scan would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { sweep } from '../../src/check/sweep.js';
import { processSummary } from '../../src/inspect/index.js';

const started: ChildProcess[] = [];

function sleeper(): number {
  const child = spawn('/bin/sleep', ['300'], { stdio: 'ignore' });
  started.push(child);
  return child.pid!;
}

function ended(pid: number): boolean {
  const summary = processSummary(pid);
  return summary === null || summary.state === 'Z';
}

afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
});

describe('sweep', () => {
  test('a process one scan did not see is still found and killed: one empty scan does not end the sweep', () => {
    const pid = sleeper();
    let looks = 0;
    const signalled = sweep((p) => p.pid === pid && ++looks > 1, 2000);
    expect([...signalled]).toEqual([pid]);
    expect(ended(pid)).toBe(true);
  });

  test('every process it signalled has ended when it returns', () => {
    const pids = [sleeper(), sleeper(), sleeper()];
    const signalled = sweep((p) => pids.includes(p.pid), 2000);
    expect([...signalled].sort()).toEqual([...pids].sort());
    expect(pids.filter((pid) => !ended(pid))).toEqual([]);
  });

  test('nothing of ours: nothing is signalled', () => {
    const bystander = sleeper();
    expect(sweep(() => false, 2000).size).toBe(0);
    expect(ended(bystander)).toBe(false);
  });
});
