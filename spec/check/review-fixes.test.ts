import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { checkDaemon } from '../../src/check/index.js';
import { explain, statuses, workDir } from './support.js';

// checkDaemon() makes this worker a child subreaper (process-global; this file's worker only).

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A process started outside any check, in its own session; stopped when the test ends. */
async function bystander(): Promise<number> {
  const child = spawn('/bin/sleep', ['300'], { detached: true, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return child.pid!;
}

describe('review fixes', () => {
  test('a pidfile naming a process outside the check: not judged, not signalled, the verdict says why', async () => {
    const work = workDir();
    const pid = await bystander();
    const pidfile = join(work, 'p.pid');
    const report = await checkDaemon(['/bin/sh', '-c', `echo ${pid} > ${pidfile}`], { pidfile, timeoutMs: 5000 });
    expect(alive(pid), 'the bystander was killed').toBe(true);
    expect(report.daemon).toBeNull();
    expect(report.verdict).toBe('fail');
    expect(report.cleanup.stopped).not.toContain(pid);
    expect(statuses(report)['new-session'], explain(report)).toBe('fail');
    const message = report.results.find((r) => r.rule === 'new-session')!.message;
    expect(message).toMatch(new RegExp(`names PID ${pid} \\(sleep\\), which this check did not start`));
  });
});
