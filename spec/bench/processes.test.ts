import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect, test } from 'vitest';
// @ts-expect-error plain .mjs helper without type declarations
import * as processes from '../../scripts/bench/processes.mjs';

const { isMidExec, killTagged, processesWithTag } = processes as {
  isMidExec: (pid: number) => boolean;
  killTagged: (tag: string) => Promise<number[]>;
  processesWithTag: (tag: string) => { pid: number; cmdline: string }[];
};

/*
 * The benchmarks' cleanup finds what a trial started by an environment tag. A process caught
 * inside execve() reads an empty environment (and command line), so it cannot be told apart
 * from an untagged one until the exec ends: isMidExec() names that state, and must not take a
 * kernel thread or an ordinary process for it.
 */
test('isMidExec: neither a kernel thread (kthreadd, pid 2) nor a running process is inside execve()', () => {
  expect(isMidExec(2)).toBe(false);
  expect(isMidExec(process.pid)).toBe(false);
});

test('a process started with an empty environment is not taken for one inside execve()', async () => {
  const child = spawn('/bin/sleep', ['30'], { env: {}, stdio: 'ignore' });
  await once(child, 'spawn');
  try {
    expect(isMidExec(child.pid!)).toBe(false);
  } finally {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
});

test('killTagged kills a tagged process and its tagged child, and then finds none', async () => {
  const tag = `processes-test-${process.pid}`;
  const child = spawn('/bin/sh', ['-c', 'sleep 30 & wait'], { env: { ...process.env, DAEMONSPEC_BENCH: tag }, stdio: 'ignore' });
  await once(child, 'spawn');
  const exited = once(child, 'exit');
  const killed = await killTagged(tag);
  await exited;
  expect(killed).toContain(child.pid);
  expect(processesWithTag(tag)).toEqual([]);
});
