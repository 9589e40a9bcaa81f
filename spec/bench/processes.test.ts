import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect, test } from 'vitest';
// @ts-expect-error plain .mjs helper without type declarations
import * as processes from '../../scripts/bench/processes.mjs';
import { environOf } from '../support/environ.mjs';
import { countdown, execStorm } from '../support/exec-storm.js';

const { killTagged, processesWithTag } = processes as {
  killTagged: (tag: string) => Promise<number[]>;
  processesWithTag: (tag: string) => { pid: number; cmdline: string }[];
};

/*
 * The benchmarks' cleanup finds what a trial started by an environment tag, read through the
 * specs' environOf (spec/support/environ.mjs), which waits out a process caught inside execve()
 * (its environment reads empty until the exec ends). It must not take a process whose
 * environment really is empty for one inside execve().
 */
test('environOf: a process started with no environment reads empty (it is not taken for one inside execve())', async () => {
  const child = spawn('/bin/sleep', ['30'], { env: {}, stdio: 'ignore' });
  await once(child, 'spawn');
  try {
    expect(environOf(child.pid!).filter(Boolean)).toEqual([]);
  } finally {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
});

test('environOf: a process that execs over and over is always read with its environment (an exec between the open and the read reads empty)', async () => {
  const storm = await execStorm();
  const first = countdown(storm.pid);
  // Measured before the re-read: about 2 in 100 reads came back empty, with env_end already set.
  let missed = 0;
  for (let read = 0; read < 2_000; read++) if (!environOf(storm.pid).includes('EXEC_STORM=tag')) missed++;
  expect(countdown(storm.pid)).toBeLessThan(first);
  expect(countdown(storm.pid)).toBeGreaterThan(0);
  expect(missed).toBe(0);
});

test('killTagged kills a tagged process and its tagged child, and then finds none', async () => {
  const tag = `processes-test-${process.pid}`;
  const child = spawn('/bin/sh', ['-c', 'sleep 30 & wait'], { env: { ...process.env, DAEMONSPEC_BENCH: tag }, stdio: 'ignore' });
  await once(child, 'spawn');
  expect(environOf(child.pid!)).toContain(`DAEMONSPEC_BENCH=${tag}`);
  const exited = once(child, 'exit');
  const killed = await killTagged(tag);
  await exited;
  expect(killed).toContain(child.pid);
  expect(processesWithTag(tag)).toEqual([]);
});
