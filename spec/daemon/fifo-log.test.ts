import { spawn as spawnChild, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { CLI, pidFrom, ROOT, scene, tagged, type Scene } from './support.js';

/*
 * Issue 13 point 3: a log that is a FIFO nobody reads. open(O_WRONLY) on it waits for a reader,
 * forever, in the original, deaf to --timeout and to signals. The log is opened O_NONBLOCK
 * instead: ENXIO is refused at once with the fix, and a FIFO with a reader gets the flag cleared
 * again, so the daemon's own writes block as they would on any pipe.
 */
const O_NONBLOCK = 0o4000;

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo ${path} failed: ${r.stderr}`);
}

function cli(s: Scene, args: string[]) {
  // The bound only turns the old endless wait into a failure instead of a hung run.
  const r = spawnSync(process.execPath, [CLI, ...args], { env: s.env, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Flags of the file description at fd of pid (octal in /proc/PID/fdinfo). */
function fdFlags(pid: number, fd: number): number {
  const info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1');
  return parseInt(/^flags:\s*([0-7]+)/m.exec(info)![1]!, 8);
}

describe('a FIFO as a log', () => {
  it('run refuses a FIFO with no reader at once, saying to start the reader, and leaves nothing', () => {
    const s = scene();
    const fifo = s.path('out.fifo');
    mkfifo(fifo);
    const r = cli(s, ['run', '--timeout', '2', '--pidfile', s.path('d.pid'), '--stdout', fifo, '--', '/bin/sleep', '300']);
    expect(r.stderr).toContain(`${fifo} is a FIFO with no reader; start the reader first`);
    expect(r.code).toBe(2);
    expect(tagged(s.tag)).toEqual([]);
  });

  it('daemonize() refuses a FIFO with no reader the same way', () => {
    const s = scene();
    const fifo = s.path('err.fifo');
    mkfifo(fifo);
    const script = s.path('fifo.mjs');
    const lib = pathToFileURL(join(ROOT, 'dist/bundle/index.js')).href;
    writeFileSync(script, `import { daemonize } from ${JSON.stringify(lib)};\nawait daemonize({ stderr: ${JSON.stringify(fifo)}, timeout: 2000 });\nsetInterval(() => {}, 1 << 30);\n`);
    const r = spawnSync(process.execPath, [script], { env: s.env, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
    expect(r.stderr).toContain(`${fifo} is a FIFO with no reader; start the reader first`);
    expect(r.status).toBe(2);
    expect(tagged(s.tag)).toEqual([]);
  });

  it('with a reader, the daemon writes to the FIFO through a blocking fd (O_NONBLOCK cleared)', async () => {
    const s = scene();
    const fifo = s.path('out.fifo');
    const copy = s.path('copy.txt');
    mkfifo(fifo);
    const reader = spawnChild('/bin/sh', ['-c', 'exec cat "$1" > "$2"', 'reader', fifo, copy], { env: s.env, stdio: 'ignore' });
    onTestFinished(() => {
      reader.kill('SIGKILL');
    });
    const pidfile = s.path('d.pid');
    const r = cli(s, ['run', '--pidfile', pidfile, '--stdout', fifo, '--', '/bin/sh', '-c', 'echo through-the-fifo; exec /bin/sleep 300']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const pid = pidFrom(pidfile);
    expect(fdFlags(pid, 1) & O_NONBLOCK).toBe(0);
    await vi.waitFor(() => expect(readFileSync(copy, 'utf8')).toBe('through-the-fifo\n'), { timeout: 10_000, interval: 20 });
  });
});
