import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dir as tmpDir } from 'tmp-promise';
import { describe, expect, it, onTestFinished, vi } from 'vitest';

/* examples/http-server, started with the command its README documents. */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER = join(ROOT, 'examples/http-server/server.mjs');
function start(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // The example imports the package ('daemonspec'), which resolves to dist/.
  if (!existsSync(join(ROOT, 'dist/daemon/daemonize.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  return new Promise((resolve) => {
    execFile(process.execPath, [SERVER, ...args], { timeout: 30_000, killSignal: 'SIGKILL', encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

/** Live processes whose command line mentions `needle` (a per-test temporary path). */
function processesMentioning(needle: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
        return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z') && readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function workDir(): Promise<string> {
  const work = await tmpDir({ unsafeCleanup: true, prefix: 'daemonspec-http-' });
  onTestFinished(async () => {
    for (const pid of processesMentioning(work.path)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await work.cleanup();
  });
  return work.path;
}

describe.runIf(process.platform === 'linux')('examples/http-server', () => {
  it('returns once the server answers, serves a page, and on TERM exits and removes its pidfile', async () => {
    const work = await workDir();
    const pidfile = join(work, 'http.pid');
    const log = join(work, 'http.log');
    const started = await start(['--port', '0', '--pidfile', pidfile, '--log', log]);
    expect(started.code, started.stderr).toBe(0);

    // Ready means listening: the pidfile and the log line exist as the command returns.
    const pid = Number(readFileSync(pidfile, 'utf8'));
    const url = /listening on (http:\/\/\S+)/.exec(readFileSync(log, 'utf8'))?.[1];
    expect(url, readFileSync(log, 'utf8')).toBeDefined();
    const response = await fetch(`${url}/hello`, { headers: { connection: 'close' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(`hello from daemon ${pid}: GET /hello\n`);

    process.kill(pid, 'SIGTERM');
    await vi.waitFor(() => expect(existsSync(`/proc/${pid}`)).toBe(false), { timeout: 10_000, interval: 20 });
    expect(existsSync(pidfile)).toBe(false);
    expect(readFileSync(log, 'utf8')).toContain('SIGTERM: shutting down');
    expect(processesMentioning(work)).toEqual([]);
  });

  it('exits 1 with the reason when the port is taken, and leaves nothing behind', async () => {
    const work = await workDir();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const { port } = blocker.address() as AddressInfo;
    const pidfile = join(work, 'http.pid');

    const started = await start(['--port', String(port), '--pidfile', pidfile, '--log', join(work, 'http.log')]);
    expect(started.code).toBe(1);
    expect(started.stderr).toContain('EADDRINUSE');
    expect(existsSync(pidfile)).toBe(false);
    await vi.waitFor(() => expect(processesMentioning(work)).toEqual([]), { timeout: 10_000, interval: 20 });
  });
});
