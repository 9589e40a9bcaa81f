import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect, test } from 'vitest';
// @ts-expect-error plain .mjs helper without type declarations
import * as processes from '../../scripts/bench/processes.mjs';
import { environOf } from '../support/environ.mjs';

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
  // dash re-execs itself 100,000 times (each exec keeps the pid); read its environment meanwhile.
  const script = 'n=$1; if [ "$n" -gt 0 ]; then exec /bin/sh -c "$0" "$0" $((n-1)); fi';
  const child = spawn('/bin/sh', ['-c', script, script, '100000'], { env: { PATH: '/usr/bin:/bin', EXEC_STORM: 'tag' }, stdio: 'ignore' });
  await once(child, 'spawn');
  const exited = once(child, 'exit');
  try {
    // Measured before the re-read: about 2 in 100 reads came back empty, with env_end already set.
    let missed = 0;
    for (let read = 0; read < 20_000; read++) if (!environOf(child.pid!).includes('EXEC_STORM=tag')) missed++;
    expect(child.exitCode, 'the exec loop was still running for every read').toBeNull();
    expect(missed).toBe(0);
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
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
