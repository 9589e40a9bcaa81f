import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { onTestFinished } from 'vitest';

/**
 * A shell that re-execs itself (each exec keeps the pid) counting down from 100,000, with 20 KB
 * of environment and then EXEC_STORM=tag (last, where the checker's marker is in a launcher's
 * environment, beyond one 8 KiB read): what an environment reader must read while execve()
 * replaces the image.
 * Killed and reaped at the test's end.
 */
export async function execStorm(): Promise<ChildProcess & { pid: number }> {
  const script = 'n=$1; if [ "$n" -gt 0 ]; then exec /bin/sh -c "$0" "$0" $((n-1)); fi';
  const env = { PATH: '/usr/bin:/bin', PADDING: 'x'.repeat(20_000), EXEC_STORM: 'tag' };
  const child = spawn('/bin/sh', ['-c', script, script, '100000'], { env, stdio: 'ignore' });
  await once(child, 'spawn');
  const exited = once(child, 'exit');
  onTestFinished(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  return child as ChildProcess & { pid: number };
}

/** The countdown the storm has reached (its last argument; a read inside an exec is read again, for up to 5 s). */
export function countdown(pid: number): number {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const n = Number(readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0')[4]);
    if (Number.isInteger(n)) return n;
  }
  throw new Error(`the exec storm ${pid} shows no countdown in its cmdline: it has ended`);
}
