import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServer, type Server } from 'node:net';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { spawnDaemon, type SpawnDaemonOptions } from '../../src/daemon/index.js';
import { DaemonspecError } from '../../src/errors.js';
import { accepts } from '../../src/daemon/readiness/tcp.js';
import { isRunning, listDir, pidFrom, proc, ROOT, scene, type Scene, tagged } from './support.js';

/*
 * Issue 16 point 4: readiness for programs that do not notify. Each condition is watched after the
 * exec, bounded by the timeout, and a program that dies first fails the start: exit 1 with its
 * status and its stderr, nothing left running, no pidfile.
 */

const PYTHON = '/usr/bin/python3';

/** A TCP server on 127.0.0.1 (a free port), closed when the test finishes. */
async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

/** A port nothing listens on now (bound to 0, then closed). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The start failed and left nothing: no process of the test, nothing in its directory but the logs given. */
function nothingLeft(s: Scene, logs: readonly string[] = []): void {
  expect(tagged(s.tag)).toEqual([]);
  expect(listDir(s.dir).filter((name) => !logs.includes(name))).toEqual([]);
}

async function refusal(promise: Promise<unknown>): Promise<DaemonspecError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DaemonspecError);
  return error as DaemonspecError;
}

describe('run --ready-tcp HOST:PORT', () => {
  it('python3 -m http.server on a free port: run exits 0 once the port accepts connections', async () => {
    const s = scene();
    const port = await freePort();
    const pidfile = s.path('web.pid');
    const r = await runCli(['run', '--pidfile', pidfile, '--ready-tcp', `127.0.0.1:${port}`, '--timeout', '20', '--', PYTHON, '-m', 'http.server', '--bind', '127.0.0.1', String(port)], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(await accepts('127.0.0.1', port)).toBe(true);
    expect(proc(pidFrom(pidfile)).cmdline.slice(1, 3)).toEqual(['-m', 'http.server']);
  });

  it('a server on a busy port that dies at once: refused before anything starts (the port already answers), exit 2', async () => {
    const s = scene();
    const { port } = await listening();
    const r = await runCli(['run', '--pidfile', s.path('web.pid'), '--stderr', s.path('err.log'), '--ready-tcp', `127.0.0.1:${port}`, '--', PYTHON, '-m', 'http.server', '--bind', '127.0.0.1', String(port)], s.env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^daemonspec: --ready-tcp 127\\.0\\.0\\.1:${port}: something already accepts connections there before the start.*: stop what listens there`));
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(s.path('err.log')) ? readFileSync(s.path('err.log'), 'utf8') : '').toBe('');
    nothingLeft(s, ['err.log']);
  });

  it('a host that does not resolve: refused before anything starts (it could never answer), exit 2', async () => {
    const s = scene();
    const r = await runCli(['run', '--pidfile', s.path('d.pid'), '--ready-tcp', 'no-such-host.invalid:8080', '--timeout', '60', '--', '/bin/sleep', '300'], s.env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe('daemonspec: --ready-tcp no-such-host.invalid:8080: the host no-such-host.invalid has no address here (ENOTFOUND): give a name or an address this machine resolves, such as 127.0.0.1\n');
    nothingLeft(s, []);
  });

  it('a program that dies before its port opens: exit 1 with its status and stderr, before the timeout', async () => {
    const s = scene();
    const port = await freePort();
    const r = await runCli(['run', '--pidfile', s.path('d.pid'), '--stderr', s.path('err.log'), '--ready-tcp', `127.0.0.1:${port}`, '--timeout', '60', '--', '/bin/sh', '-c', 'echo "cannot bind: address in use" >&2; exit 3'], s.env);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^daemonspec: the daemon \(PID \d+\) exited with status 3 before it reported ready: see its error below/);
    expect(r.stderr).toContain('cannot bind: address in use');
    nothingLeft(s, ['err.log']);
  });

  it('a port that never opens: ETIMEOUT naming the address, the daemon killed, no pidfile', async () => {
    const s = scene();
    const port = await freePort();
    const error = await refusal(spawnDaemon('/bin/sleep', ['300'], { pidfile: s.path('d.pid'), readyTcp: `127.0.0.1:${port}`, timeout: 400, env: s.env }));
    expect(error.code).toBe('ETIMEOUT');
    expect(error.message).toContain(`did not report ready within 400 ms and was killed: raise the timeout, or make it report ready (accept connections on 127.0.0.1:${port})`);
    nothingLeft(s);
  });
});

describe('--alive-for DURATION', () => {
  it('a server on a busy port that dies at once: exit 1 with its status and "Address already in use", nothing left', async () => {
    const s = scene();
    const { port } = await listening();
    const r = await runCli(['run', '--pidfile', s.path('web.pid'), '--stderr', s.path('err.log'), '--alive-for', '10s', '--timeout', '60', '--', PYTHON, '-m', 'http.server', '--bind', '127.0.0.1', String(port)], s.env);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^daemonspec: the daemon \(PID \d+\) exited with status 1 before it reported ready/);
    expect(r.stderr).toContain('Address already in use');
    nothingLeft(s, ['err.log']);
  });

  it('a program still running after DURATION is ready, and not before', async () => {
    const s = scene();
    const started = Date.now();
    const { pid } = await spawnDaemon('/bin/sleep', ['300'], { pidfile: s.path('d.pid'), aliveFor: 300, env: s.env });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(isRunning(pid)).toBe(true);
    expect(pidFrom(s.path('d.pid'))).toBe(pid);
  });

  it('must be shorter than --timeout: exit 2 before anything starts', async () => {
    const s = scene();
    const r = await runCli(['run', '--pidfile', s.path('d.pid'), '--alive-for', '5s', '--timeout', '5', '--', '/bin/sleep', '300'], s.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('daemonspec: --alive-for (5000 ms) must be shorter than --timeout (5000 ms), which bounds the whole start: raise --timeout or lower --alive-for\n');
    nothingLeft(s);
  });
});

describe('--ready-log REGEX', () => {
  /** Writes `waiting`, waits for the trigger file, then writes `listening on 8080` and stays. */
  const waitsForTrigger = (trigger: string): string[] => [
    '/bin/sh',
    '-c',
    `echo waiting; while [ ! -e "${trigger}" ]; do sleep 0.02; done; echo "listening on 8080"; exec /bin/sleep 300`,
  ];

  it('a program that writes its line: ready only once the line is in its log', async () => {
    const s = scene();
    const log = s.path('out.log');
    let settled = false;
    const start = spawnDaemon(waitsForTrigger(s.path('trigger'))[0]!, waitsForTrigger(s.path('trigger')).slice(1), {
      pidfile: s.path('d.pid'),
      stdout: log,
      readyLog: /^listening on \d+$/,
      timeout: 20_000,
      env: s.env,
    }).finally(() => {
      settled = true;
    });
    await vi.waitFor(() => expect(existsSync(log) ? readFileSync(log, 'utf8') : '').toBe('waiting\n'), { timeout: 10_000, interval: 10 });
    expect(settled).toBe(false); // the program runs, the line is not written: not ready
    writeFileSync(s.path('trigger'), '');
    const { pid } = await start;
    expect(readFileSync(log, 'utf8')).toBe('waiting\nlistening on 8080\n');
    expect(pidFrom(s.path('d.pid'))).toBe(pid);
  });

  it('from the CLI, on stderr; lines written before the start do not count', async () => {
    const s = scene();
    const log = s.path('err.log');
    writeFileSync(log, 'ready (an earlier run)\n');
    const never = await refusal(spawnDaemon('/bin/sleep', ['300'], { stderr: log, readyLog: 'ready', timeout: 400, env: s.env }));
    expect(never.code).toBe('ETIMEOUT');
    const r = await runCli(['run', '--pidfile', s.path('d.pid'), '--stderr', log, '--ready-log', 'ready', '--', '/bin/sh', '-c', 'echo ready >&2; exec /bin/sleep 300'], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe('ready (an earlier run)\nready\n');
  });

  it('the program dies before its line: exit 1 with its status and stderr', async () => {
    const s = scene();
    const r = await runCli(['run', '--pidfile', s.path('d.pid'), '--stdout', s.path('out.log'), '--stderr', s.path('out.log'), '--ready-log', 'listening', '--timeout', '60', '--', '/bin/sh', '-c', 'echo "config missing" >&2; exit 2'], s.env);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/exited with status 2 before it reported ready/);
    expect(r.stderr).toContain('config missing');
    nothingLeft(s, ['out.log']);
  });

  it('without a log file, or with a bad pattern: exit 2 before anything starts', async () => {
    const s = scene();
    const noLog = await runCli(['run', '--pidfile', s.path('d.pid'), '--ready-log', 'x', '--', '/bin/sleep', '300'], s.env);
    expect(noLog.code).toBe(2);
    expect(noLog.stderr).toBe("daemonspec: --ready-log reads the daemon's output from its log file: pass --stdout FILE or --stderr FILE (a regular file)\n");
    const bad = await runCli(['run', '--stdout', s.path('o.log'), '--ready-log', '(', '--', '/bin/sleep', '300'], s.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^daemonspec: --ready-log: "\(" is not a regular expression .*\n$/);
    nothingLeft(s);
  });
});

describe('--ready-file PATH', () => {
  it('a program that creates the file: ready once it exists', async () => {
    const s = scene();
    const file = s.path('ready');
    const r = await runCli(['run', '--pidfile', s.path('d.pid'), '--ready-file', file, '--', '/bin/sh', '-c', `: > "${file}"; exec /bin/sleep 300`], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(isRunning(pidFrom(s.path('d.pid')))).toBe(true);
  });

  it('a file left by an earlier run counts only once replaced or modified', async () => {
    const s = scene();
    const file = s.path('ready');
    writeFileSync(file, 'old\n');
    const stale = await refusal(spawnDaemon('/bin/sleep', ['300'], { readyFile: file, timeout: 400, env: s.env }));
    expect(stale.code).toBe('ETIMEOUT');
    expect(stale.message).toContain(`(create ${file})`);
    await spawnDaemon('/bin/sh', ['-c', `echo new > "${file}"; exec /bin/sleep 300`], { pidfile: s.path('d.pid'), readyFile: file, env: s.env });
    expect(readFileSync(file, 'utf8')).toBe('new\n');
  });

  it('the program dies first: EDIED with its status, nothing left', async () => {
    const s = scene();
    const options: SpawnDaemonOptions = { pidfile: s.path('d.pid'), stderr: s.path('err.log'), readyFile: s.path('ready'), timeout: 60_000, env: s.env };
    const error = await refusal(spawnDaemon('/bin/sh', ['-c', 'echo "no permission" >&2; exit 4'], options));
    expect(error.code).toBe('EDIED');
    expect(error.message).toMatch(/exited with status 4 before it reported ready/);
    expect(error.detail).toContain('no permission');
    nothingLeft(s, ['err.log']);
  });
});

describe('one way to tell readiness', () => {
  it('two conditions, or one with --notify, or a bad HOST:PORT: exit 2 with the fix', async () => {
    const s = scene();
    const both = await runCli(['run', '--ready-file', s.path('r'), '--alive-for', '1', '--', '/bin/sleep', '300'], s.env);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('daemonspec: give one way to tell that the daemon is ready: --notify, --ready-log, --ready-tcp, --ready-file or --alive-for\n');
    const notify = await runCli(['run', '--notify', '--ready-file', s.path('r'), '--', '/bin/sleep', '300'], s.env);
    expect(notify.code).toBe(2);
    const address = await runCli(['run', '--ready-tcp', 'localhost', '--', '/bin/sleep', '300'], s.env);
    expect(address.code).toBe(2);
    expect(address.stderr).toMatch(/^daemonspec: --ready-tcp: "localhost" is not HOST:PORT: .*127\.0\.0\.1:8080/);
    nothingLeft(s);
  });
});

describe('daemonize() reports readiness itself', () => {
  it('the readiness options are refused there (exit 2), nothing started', () => {
    const s = scene();
    const script = s.path('ready.mjs');
    const lib = pathToFileURL(join(ROOT, 'dist/bundle/index.js')).href;
    writeFileSync(script, `import { daemonize } from ${JSON.stringify(lib)};\nawait daemonize({ readyTcp: '127.0.0.1:1' });\nsetInterval(() => {}, 1 << 30);\n`);
    const r = spawnSync(process.execPath, [script], { env: s.env, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
    expect(r.stderr).toBe('daemonspec: readyLog, readyTcp, readyFile and aliveFor are for spawnDaemon() and `daemonspec run`: a daemonize() script reports ready itself (manualReady and handle.ready())\n');
    expect(r.status).toBe(2);
    expect(tagged(s.tag)).toEqual([]);
    expect(listDir(s.dir)).toEqual(['ready.mjs']);
  });
});
