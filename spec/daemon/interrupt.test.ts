import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { CLI, listDir, scene, tagged } from './support.js';

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').slice(0, -1);
  } catch {
    return [];
  }
}

/**
 * Interrupting `run` while it waits for readiness undoes the start: the chain's processes are
 * killed, no pidfile and no temporary file remain, and the caller dies of the signal it got.
 * The signal goes to a CLI child process, never to the test worker.
 */
describe('run interrupted while it waits for readiness', () => {
  const cases = [
    ...(['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => ({ signal, repeated: false })),
    // A double Ctrl-C, or a signal sent to the CLI and to its group: later signals come during the undo.
    { signal: 'SIGINT' as const, repeated: true },
  ];
  for (const { signal, repeated } of cases) {
    it(`${signal}${repeated ? ' again and again' : ''}: nothing tagged left, no pidfile, no temporary file; the caller dies of ${signal}`, async () => {
      const s = scene();
      const pidfile = s.path('d.pid');
      const caller = spawn(process.execPath, [CLI, 'run', '--notify', '--timeout', '60', '--pidfile', pidfile, '--', '/bin/sleep', '77'], {
        env: s.env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      onTestFinished(() => {
        caller.kill('SIGKILL');
      });
      let stderr = '';
      caller.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => caller.on('exit', (code, sig) => resolve(sig ?? code)));
      // The daemon runs (/bin/sleep) and its pid is in the pidfile: the start is waiting for READY=1.
      await vi.waitFor(
        () => {
          const seen = `caller exit ${caller.exitCode ?? caller.signalCode}, stderr ${JSON.stringify(stderr)}, tagged ${tagged(s.tag).map((p) => cmdline(p).join(' ')).join(' | ')}, files ${listDir(s.dir).join(' ')}`;
          expect(tagged(s.tag).some((pid) => cmdline(pid)[0] === '/bin/sleep'), seen).toBe(true);
          expect(existsSync(pidfile), seen).toBe(true);
        },
        { timeout: 20_000, interval: 10 },
      );
      caller.kill(signal);
      // Repeated: one more signal every millisecond (setInterval's least) until the caller is gone, so some land during its undo.
      const again = repeated ? setInterval(() => caller.exitCode === null && caller.signalCode === null && caller.kill(signal), 1) : undefined;
      const ended = await exited;
      clearInterval(again);
      expect(ended, stderr).toBe(signal);
      await vi.waitFor(() => expect(tagged(s.tag)).toEqual([]), { timeout: 10_000, interval: 10 });
      expect(listDir(s.dir)).toEqual([]);
    });
  }
});
