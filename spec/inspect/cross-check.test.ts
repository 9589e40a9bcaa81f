import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { O } from '../../src/ffi/constants.js';
import { close, pipe } from '../../src/ffi/libc.js';
import { openPty } from '../../src/ffi/pty.js';
import { inspect } from '../../src/inspect/index.js';
import type { FdKind, Snapshot } from '../../src/inspect/snapshot.js';
import { SLEEP, start, whenRunning } from './helpers.js';
import { testDir } from '../support/temp-dir.js';

/*
 * The same live processes seen by three independent tools: procps `ps`, `lsof` and python3-psutil
 * (Debian's, at /usr/bin/python3). Any disagreement is a bug in one of us.
 */

const tools = process.platform === 'linux';

/** A process with a controlling pty, a file, a pipe and a listening unix socket; and a plain one. */
async function setUp(): Promise<{ withTty: Snapshot; plain: Snapshot; dir: string }> {
  const dir = testDir('dspec-xcheck-');
  const log = join(dir, 'log file');
  writeFileSync(log, '');
  const pty = openPty();
  onTestFinished(() => close(pty.master));
  const [readEnd, writeEnd] = pipe();
  onTestFinished(() => {
    close(readEnd);
    close(writeEnd);
  });
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(join(dir, 'sock'), resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const socketFd = (server as unknown as { _handle: { fd: number } })._handle.fd;

  const withTtyPid = start({
    path: SLEEP,
    argv: ['sleep', '61'],
    setsid: true,
    cwd: dir,
    closeOtherFds: true,
    fileActions: [
      { op: 'open', fd: 0, path: pty.slavePath, flags: O.RDWR },
      { op: 'open', fd: 1, path: log, flags: O.WRONLY | O.APPEND },
      { op: 'dup2', from: 1, to: 2 },
      { op: 'dup2', from: readEnd, to: 9 },
      { op: 'dup2', from: socketFd, to: 12 },
      { op: 'open', fd: 15, path: dir, flags: O.RDONLY | O.DIRECTORY },
    ],
  });
  const plainPid = start({
    path: SLEEP,
    argv: ['sleep', '62'],
    closeOtherFds: true,
    fileActions: [
      { op: 'open', fd: 0, path: '/dev/null', flags: O.RDONLY },
      { op: 'open', fd: 1, path: '/dev/null', flags: O.WRONLY },
      { op: 'open', fd: 2, path: log, flags: O.WRONLY | O.APPEND },
    ],
  });
  // Compare once both are asleep in nanosleep: a state caught mid-exec (R, D) would differ between tools.
  const settled = async (pid: number): Promise<Snapshot> => {
    await whenRunning(pid, 'sleep');
    await vi.waitFor(() => expect(inspect(pid).state).toBe('S'), { timeout: 10_000, interval: 5 });
    return inspect(pid);
  };
  return { withTty: await settled(withTtyPid), plain: await settled(plainPid), dir };
}

function ps(pid: number): Record<string, string> {
  const out = execFileSync('ps', ['-o', 'pid=,ppid=,pgid=,sid=,tpgid=,tty=,stat=,uid=,gid=', '-p', String(pid)], { encoding: 'utf8', timeout: 30_000 });
  const [p, ppid, pgid, sid, tpgid, tty, stat, uid, gid] = out.trim().split(/\s+/);
  return { pid: p!, ppid: ppid!, pgid: pgid!, sid: sid!, tpgid: tpgid!, tty: tty!, stat: stat!, uid: uid!, gid: gid! };
}

/** lsof -F: one field per line, `f` starts a file, `t` its type. Only numeric fds (not cwd/txt/mem). */
function lsof(pid: number): Map<number, string> {
  const out = execFileSync('lsof', ['-w', '-n', '-P', '-p', String(pid), '-F', 'ft'], { encoding: 'utf8', timeout: 30_000 });
  const fds = new Map<number, string>();
  let fd: number | null = null;
  for (const line of out.split('\n')) {
    if (line.startsWith('f')) fd = /^\d+$/.test(line.slice(1)) ? Number(line.slice(1)) : null;
    else if (line.startsWith('t') && fd !== null) fds.set(fd, line.slice(1));
  }
  return fds;
}

const LSOF_TYPES: Record<string, FdKind[]> = {
  REG: ['file'],
  DIR: ['directory'],
  CHR: ['tty', 'device'],
  FIFO: ['pipe'],
  unix: ['socket'],
  sock: ['socket'],
  IPv4: ['socket'],
  IPv6: ['socket'],
  a_inode: ['anon'],
};

function psutil(pid: number): {
  ppid: number;
  cwd: string;
  terminal: string | null;
  files: [number, string][];
  uids: number[];
  gids: number[];
  status: string;
  cmdline: string[];
  fds: number;
} {
  const script = `
import json, sys, psutil
p = psutil.Process(int(sys.argv[1]))
print(json.dumps(dict(ppid=p.ppid(), cwd=p.cwd(), terminal=p.terminal(), files=[[f.fd, f.path] for f in p.open_files()],
  uids=list(p.uids()), gids=list(p.gids()), status=p.status(), cmdline=p.cmdline(), fds=p.num_fds())))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, String(pid)], { encoding: 'utf8', timeout: 30_000 }));
}

describe.runIf(tools)('inspect() agrees with ps, lsof and psutil on the same processes', () => {
  test('ps -o pid,ppid,pgid,sid,tpgid,tty,stat,uid,gid', async () => {
    const { withTty, plain } = await setUp();
    for (const s of [withTty, plain]) {
      const row = ps(s.pid);
      expect(Number(row.pid)).toBe(s.pid);
      expect(Number(row.ppid)).toBe(s.ppid);
      expect(Number(row.pgid)).toBe(s.pgid);
      expect(Number(row.sid)).toBe(s.sid);
      expect(Number(row.tpgid)).toBe(s.tpgid ?? -1);
      expect(row.tty).toBe(s.tty?.name ? s.tty.name.replace(/^\/dev\//, '') : '?');
      expect(row.stat[0]).toBe(s.state);
      expect(row.stat.includes('s')).toBe(s.sid === s.pid);
      expect(row.stat.includes('+')).toBe(s.tpgid !== null && s.tpgid === s.pgid);
      expect(Number(row.uid)).toBe(s.uid);
      expect(Number(row.gid)).toBe(s.gid);
    }
    expect(withTty.tty?.name).toMatch(/^\/dev\/pts\/\d+$/);
  });

  test('lsof -F ft: the same fd numbers with matching types', async () => {
    const { withTty, plain } = await setUp();
    for (const s of [withTty, plain]) {
      const theirs = lsof(s.pid);
      expect([...theirs.keys()].sort((a, b) => a - b)).toEqual(s.fds!.map((f) => f.fd));
      for (const fd of s.fds!) {
        const type = theirs.get(fd.fd)!;
        expect(LSOF_TYPES[type] ?? [`unmapped lsof type ${type}`], `fd ${fd.fd}: lsof ${type}, ours ${fd.kind}`).toContain(fd.kind);
      }
    }
    expect(withTty.fds!.map((f) => f.kind)).toEqual(['tty', 'file', 'file', 'pipe', 'socket', 'directory']);
  });

  test('psutil: ppid, cwd, terminal, open files, uids, gids, status, cmdline, fd count', async () => {
    const { withTty, plain, dir } = await setUp();
    const statusLetter: Record<string, string> = { running: 'R', sleeping: 'S', 'disk-sleep': 'D', stopped: 'T', zombie: 'Z' };
    for (const s of [withTty, plain]) {
      const theirs = psutil(s.pid);
      expect(theirs.ppid).toBe(s.ppid);
      expect(theirs.cwd).toBe(s.cwd);
      expect(theirs.terminal).toBe(s.tty?.name ?? null);
      expect(theirs.uids).toEqual([s.uids!.real, s.uids!.effective, s.uids!.saved]);
      expect(theirs.gids).toEqual([s.gids!.real, s.gids!.effective, s.gids!.saved]);
      expect(statusLetter[theirs.status]).toBe(s.state);
      expect(theirs.cmdline).toEqual(s.cmdline);
      expect(theirs.fds).toBe(s.fds!.length);
      const ourFiles = s.fds!.filter((f) => f.kind === 'file').map((f) => [f.fd, f.target]);
      expect(theirs.files.sort((a, b) => a[0] - b[0])).toEqual(ourFiles);
    }
    expect(withTty.cwd).toBe(dir);
  });
});
