import { spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { claimPidfile } from '../../src/daemon/pidfile.js';
import { CLI, howItEnded, runCliSync } from '../cli/run-cli.js';
import { isRunning, pidFrom, scene, type Scene } from './support.js';

/*
 * The daemon holds its pidfile's lock through an fd it inherits. That fd was opened read-write
 * (the start wrote the pid through it), so a `--user nobody` daemon could rewrite root's
 * root-owned pidfile with any pid, and root's `stop` then killed that process (a new user's probe).
 * flock() needs no write access: the daemon gets a read-only fd; the start writes through another.
 */
const asRoot = process.getuid?.() === 0;

/** The access mode (O_ACCMODE) of the daemon's fds open on the pidfile. */
function pidfileFdModes(pid: number, pidfile: string): number[] {
  const modes: number[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target = '';
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (target !== pidfile) continue;
    const flags = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1'))![1]!;
    modes.push(parseInt(flags, 8) & 3);
  }
  return modes;
}

function victim(s: Scene): number {
  const child = spawn('/bin/sleep', ['1000'], { env: s.env, stdio: 'ignore', detached: true });
  onTestFinished(() => void child.kill('SIGKILL'));
  return child.pid!;
}

describe('the pidfile lock fd a daemon inherits is read-only', () => {
  it.runIf(asRoot)('a --user daemon cannot rewrite root\'s pidfile through it, so root\'s stop cannot be aimed at another process', async () => {
    const s = scene();
    chmodSync(s.dir, 0o755);
    const pidfile = s.path('e.pid');
    const script = s.path('rewrite.sh');
    // Once the start has written its pid, the daemon writes another through every fd on the
    // pidfile, then says it tried (the file `tried`, in a directory it may write).
    const tried = s.path('out/tried');
    writeFileSync(
      script,
      '#!/bin/sh\nuntil [ "$(cat "$PIDFILE")" = "$$" ]; do sleep 0.01; done\n' +
        'for fd in 3 4 5 6 7 8 9; do [ "$(readlink /proc/$$/fd/$fd)" = "$PIDFILE" ] && printf \'%s\\n\' "$1" >&$fd; done\n' +
        ': > "$TRIED"; exec sleep 300\n',
      { mode: 0o755 },
    );
    mkdirSync(s.path('out'), { mode: 0o777 });
    chmodSync(s.path('out'), 0o777);
    const target = victim(s);
    const r = runCliSync(['run', '--user', 'nobody', '--env', `PIDFILE=${pidfile}`, '--env', `TRIED=${tried}`, '--pidfile', pidfile, '--', script, String(target)], s.env);
    expect(r.code, howItEnded(r)).toBe(0);
    await vi.waitFor(() => expect(existsSync(tried)).toBe(true), { timeout: 10_000, interval: 10 });
    const daemon = pidFrom(pidfile);
    expect(daemon).not.toBe(target);
    expect(pidfileFdModes(daemon, pidfile)).toEqual([0]); // O_RDONLY
    expect(runCliSync(['stop', '--pidfile', pidfile], s.env).code).toBe(0);
    expect(isRunning(target)).toBe(true);
    expect(isRunning(daemon)).toBe(false);
  });

  it('a daemonize() daemon holds it read-only too', () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    const lib = pathToFileURL(join(import.meta.dirname, '../../dist/bundle/index.js')).href;
    const script = s.path('d.mjs');
    writeFileSync(script, `import { daemonize } from ${JSON.stringify(lib)};\nawait daemonize({ pidfile: ${JSON.stringify(pidfile)} });\nsetInterval(() => {}, 1 << 30);\n`);
    const r = spawnSync(process.execPath, [script], { env: s.env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(pidfileFdModes(pidFrom(pidfile), pidfile)).toEqual([0]);
  });
});

describe('the claim of a pidfile', () => {
  // A review: commit() closed the write fd and release() closed the same number again; an open in
  // between had been given that number, and lost its file.
  it('closes each of its fds once: a file opened after the commit keeps its fd', () => {
    const s = scene();
    const claim = claimPidfile(s.path('c.pid'));
    claim.commit(process.pid);
    const other = openSync(s.path('other'), 'w');
    try {
      claim.release();
      expect(() => fstatSync(other)).not.toThrow();
    } finally {
      closeSync(other);
    }
  });

  // A review: the read-only fd is opened by the path, and a umask that takes the owner's read
  // (0477) left the temporary file unreadable: a non-root start failed with EACCES.
  it.runIf(asRoot)('works under a umask that takes the owner\'s read (0477), as a user that is not root', () => {
    const s = scene();
    chmodSync(s.dir, 0o777);
    const pidfile = s.path('u.pid');
    const r = spawnSync('/usr/bin/setpriv', ['--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', '/bin/sh', '-c', 'umask 0477; exec "$@"', 'sh', process.execPath, CLI, 'run', '--pidfile', pidfile, '--', '/bin/sleep', '300'], { env: s.env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(isRunning(pidFrom(pidfile))).toBe(true);
  });
});
