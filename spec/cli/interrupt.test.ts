import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { expect, onTestFinished, test } from 'vitest';
import { taggedPids } from '../support/proc.js';
import { testDir } from '../support/temp-dir.js';
import { killUntilGone, waitFor } from '../support/wait.mjs';
import { CLI } from './run-cli.js';

/*
 * Ctrl-C (or a CI job's SIGTERM) in the middle of a check: the daemon it started, the command
 * still in the foreground and the launcher are stopped, the check's temporary directory is
 * removed, and the CLI exits 130 with one line. Before, the CLI died at once and left all three
 * running and the directory behind.
 */
test.for(['SIGINT', 'SIGTERM'] as const)('an interrupted check (%s) exits 130 and leaves nothing it started, nor its temporary directory', async (signal) => {
  const tmp = testDir('check-interrupt-');
  const tag = randomBytes(6).toString('hex');
  const tagged = (): number[] => taggedPids('INTERRUPT_TEST', tag);
  onTestFinished(async () => {
    await killUntilGone(tagged, (pid) => pid);
  });
  // The original leaves a daemon and stays in the foreground: the check is still waiting for it.
  const command = ['/bin/sh', '-c', 'setsid -f /bin/sleep 301; exec /bin/sleep 302'];
  const child = spawn(process.execPath, [CLI, 'check', '--timeout', '60', '--', ...command], {
    env: { ...process.env, TMPDIR: tmp, INTERRUPT_TEST: tag },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await waitFor('the daemon and the foreground command', () => tagged().length >= 3 && readdirSync(tmp).length > 0, { timeoutMs: 30_000, intervalMs: 20 });
  child.kill(signal);
  expect(await exited).toBe(130);
  expect(stderr).toMatch(new RegExp(`^daemonspec: check interrupted by ${signal}; stopped \\d+ processes it had started$`, 'm'));
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(tagged()).toEqual([]);
  expect(readdirSync(tmp)).toEqual([]);
});

/** The command name of `pid`, or '' once it is gone. */
function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

test('an interrupted matrix (SIGINT to it alone) passes the signal to its checks, exits 130 and leaves nothing behind', async () => {
  const tmp = testDir('matrix-interrupt-');
  const tag = randomBytes(6).toString('hex');
  const tagged = (): number[] => taggedPids('INTERRUPT_TEST', tag);
  onTestFinished(async () => {
    await killUntilGone(tagged, (pid) => pid);
  });
  const child = spawn(process.execPath, [CLI, 'matrix', '--isolation', 'host', '--fixtures', 'start-stop-daemon', '--jobs', '1'], {
    env: { ...process.env, TMPDIR: tmp, INTERRUPT_TEST: tag },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // The fixture's daemon (its workload ends in `sleep infinity`) is up, in a child check process.
  await waitFor('the fixture\'s daemon', () => tagged().some((pid) => comm(pid) === 'sleep'), { timeoutMs: 30_000, intervalMs: 20 });
  child.kill('SIGINT');
  expect(await exited).toBe(130);
  expect(stderr).toMatch(/^daemonspec: matrix interrupted by SIGINT; stopped \d+ process/m);
  expect(tagged()).toEqual([]);
  expect(readdirSync(tmp)).toEqual([]);
});
