import { spawn } from 'node:child_process';
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { daemonStatus, readPidfile } from '../../src/daemon/index.js';
import { DaemonspecError } from '../../src/errors.js';
import { scene, tagged, type Scene } from '../daemon/support.js';
import { runCliSync } from '../cli/run-cli.js';

/*
 * Issue 13 point 5: a pidfile is read a few bytes at most. A file longer than any pid line is
 * invalid content, judged without reading it: `status` exits 4 (unknown) with one line, never
 * a stack (a 3 GB file used to throw ERR_FS_FILE_TOO_LARGE), and a locked one does not break the
 * refusal of a second start. The big files are sparse: they take no disk space.
 */

const GB3 = 3 * 2 ** 30;

function cli(s: Scene, args: string[]) {
  return runCliSync(args, s.env);
}

function hugePidfile(s: Scene): string {
  const pidfile = s.path('huge.pid');
  writeFileSync(pidfile, '');
  truncateSync(pidfile, GB3);
  expect(statSync(pidfile).size).toBe(GB3);
  return pidfile;
}

describe('huge pidfiles (issue 13)', () => {
  it('status on a sparse 3 GB pidfile: exit 4 with one line saying it is not a pidfile, no stack; --json too', () => {
    const s = scene();
    const pidfile = hugePidfile(s);
    const r = cli(s, ['status', '--pidfile', pidfile]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`pidfile ${pidfile} is ${GB3} bytes`);
    const json = cli(s, ['status', '--json', '--pidfile', pidfile]);
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toMatchObject({ code: 4, state: 'unknown', pid: null });
  });

  it('daemonStatus() and stop refuse it with EPIDFILE (stop exits 2: nothing signalled); stop leaves the file where it is', () => {
    const s = scene();
    const pidfile = hugePidfile(s);
    let error: unknown = null;
    try {
      daemonStatus({ pidfile });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DaemonspecError);
    expect((error as DaemonspecError).code).toBe('EPIDFILE');
    const stop = cli(s, ['stop', '--pidfile', pidfile]);
    expect(stop.code, stop.stderr).toBe(2); // refused: nothing signalled
    expect(stop.stderr).not.toMatch(/\n\s+at /);
    expect(stop.stderr).toContain('longer than a pid line');
    expect(statSync(pidfile).size).toBe(GB3);
  });

  it('a pid line padded past 32 bytes is invalid content, where "123\\n" is a pid', () => {
    const s = scene();
    const pidfile = s.path('padded.pid');
    writeFileSync(pidfile, `${process.pid}\n`);
    expect(readPidfile(pidfile).pid).toBe(process.pid);
    writeFileSync(pidfile, `${process.pid}${' '.repeat(40)}\n`);
    expect(() => readPidfile(pidfile)).toThrow(/longer than a pid line/);
  });

  it('run over a locked 3 GB pidfile is refused (exit 2) in one line, no stack: it is not a pidfile, and is left as it is', async () => {
    const s = scene();
    const pidfile = hugePidfile(s);
    const holder = spawn('/usr/bin/flock', ['-n', pidfile, '/bin/sleep', '300'], { env: s.env, stdio: 'ignore' });
    onTestFinished(() => {
      holder.kill('SIGKILL');
    });
    await vi.waitFor(() => expect(tagged(s.tag).some((p) => readFileSync(`/proc/${p}/cmdline`, 'latin1').startsWith('/bin/sleep'))).toBe(true), {
      timeout: 10_000,
      interval: 10,
    });
    const r = cli(s, ['run', '--pidfile', pidfile, '--', '/bin/sleep', '300']);
    expect(r.code, r.stderr).toBe(2); // refused before anything starts
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toContain(`pidfile ${pidfile} is ${GB3} bytes, longer than a pid line`);
    expect(statSync(pidfile).size).toBe(GB3);
  });
});
