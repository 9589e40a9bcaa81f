import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandLine } from '../../src/inspect/index.js';
import { killUntilGone, waitFor } from '../support/wait.mjs';
import { CLI, scene, tagged } from './support.js';

/*
 * `run --notify`, many at once (found by a review: under eight parallel loops about one start in
 * six died of SIGSEGV or a malloc abort after its daemon was up). The poll for the notify socket
 * ran on koffi's worker thread with an 8-byte Buffer as its struct pollfd; V8 keeps so small a
 * typed array inside its heap and moves it when it collects garbage, so the kernel's revents went
 * to wherever the buffer had been. Now the struct is koffi's own memory for the call's length.
 */
const NOTIFIER =
  "import os, socket\na = os.environ['NOTIFY_SOCKET']\na = '\\0' + a[1:] if a.startswith('@') else a\n" +
  "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b'READY=1', a); s.close()\nos.execv('/bin/sleep', ['sleep', '300'])\n";

function start(env: Record<string, string>, pidfile: string): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'run', '--notify', '--pidfile', pidfile, '--', '/usr/bin/python3', '-c', NOTIFIER], { env, timeout: 60_000 }, (error, _stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, signal: error?.signal ?? null, stderr });
    });
  });
}

describe('run --notify, eight at a time', () => {
  it('every start of 64 exits 0 (none dies of a signal)', async () => {
    const s = scene();
    const results: { code: number | null; signal: string | null; stderr: string }[] = [];
    for (let round = 0; round < 8; round++) {
      results.push(...(await Promise.all(Array.from({ length: 8 }, (_, i) => start(s.env, s.path(`d${round}-${i}.pid`))))));
    }
    expect(results.filter((r) => r.code !== 0)).toEqual([]);
    // Each daemon (a sleep, once it has notified) runs until stopped: no lifetime to race the let-go.
    // They are killed once all 64 are sleeps: a python still in its execve after READY=1 has no
    // environment to read for a moment, and a scan then missed it (a fresh-clone run left one).
    const sleeps = (): number => tagged(s.tag).filter((pid) => commandLine(pid)?.[0] === 'sleep').length;
    await waitFor("the 64 daemons to have exec'd sleep", () => sleeps() === 64, { timeoutMs: 30_000, intervalMs: 20 });
    expect(await killUntilGone(() => tagged(s.tag), (pid) => pid, { signal: 'SIGKILL' })).toEqual([]);
  }, 180_000);
});
