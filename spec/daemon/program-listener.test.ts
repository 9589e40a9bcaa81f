import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it, onTestFinished, vi } from 'vitest';
import { scene, tagged } from './support.js';

/*
 * A start undoes itself on SIGINT, SIGTERM or SIGHUP and then raises the signal again, so that a
 * caller without a listener of its own dies of it (src/daemon/interrupt-guard.ts). A program that
 * listens for the signal has heard it already: raising it again made its listener hear one signal
 * twice, and the raised copy interrupted the program's next start, so a retry never got through.
 */
const packageEntry = fileURLToPath(new URL('../../dist/bundle/index.js', import.meta.url));

function command(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').slice(0, 2).join(' ');
  } catch {
    return '';
  }
}

it.for(['SIGTERM', 'SIGHUP'] as const)('a program listening for %s hears one signal once; the start under way is undone, and its next start succeeds', async (signal) => {
  const s = scene();
  const never = s.path('never');
  const script = `const { spawnDaemon } = await import(${JSON.stringify(packageEntry)});
let heard = 0;
process.on(${JSON.stringify(signal)}, () => heard++);
const outcome = (start) => start.then((d) => { process.kill(d.pid, 'SIGKILL'); return 'started'; }, (error) => error.code);
const first = await outcome(spawnDaemon('/bin/sleep', ['301'], { readyFile: ${JSON.stringify(never)}, timeout: 60000 }));
const second = await outcome(spawnDaemon('/bin/sleep', ['302']));
process.stdout.write(JSON.stringify({ heard, first, second }));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: s.env, stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => {
    child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | string | null>((resolve) => child.on('close', (code, sig) => resolve(sig ?? code)));
  // The first daemon runs: the start waits for its ready file.
  await vi.waitFor(() => expect(tagged(s.tag).map(command), stderr).toContain('/bin/sleep 301'), { timeout: 20_000, interval: 10 });
  child.kill(signal);
  expect(await exited, stderr).toBe(0);
  expect(JSON.parse(stdout)).toEqual({ heard: 1, first: 'EDIED', second: 'started' });
});
