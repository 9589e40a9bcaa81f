import { closeSync, fstatSync, openSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { O, signalNumber } from '../../src/ffi/constants.js';
import { close, pipe, reap } from '../../src/ffi/libc.js';
import { foregroundGroup, openPty } from '../../src/ffi/pty.js';
import { spawn } from '../../src/ffi/spawn.js';
import { inspect, isNoSuchProcess, isZombie } from '../../src/inspect/index.js';
import { SH, SLEEP, start, whenRunning } from './helpers.js';
import { testDir } from '../support/temp-dir.js';

const linux = process.platform === 'linux';

function tempDir(): string {
  const dir = testDir('dspec-inspect-');
  return dir;
}

describe.runIf(linux)('inspect() on Linux, against processes set up here', () => {
  test('a setsid child: session and group leader, no controlling tty, our child', async () => {
    const pid = start({ path: SLEEP, argv: ['sleep', '60'], setsid: true });
    const s = await whenRunning(pid, 'sleep');
    expect(s).toMatchObject({ pid, ppid: process.pid, pgid: pid, sid: pid, tty: null, tpgid: null, cmdline: ['sleep', '60'] });
    expect(['R', 'S', 'D']).toContain(s.state); // D: briefly, while exec pages the binary in under load
    expect(s.uid).toBe(process.geteuid!());
    expect(s.gid).toBe(process.getegid!());
    expect(s.startTime).toBeGreaterThan(0);
  });

  test('without setsid the child stays in our session', async () => {
    const pid = start({ path: SLEEP, argv: ['sleep', '60'] });
    const s = await whenRunning(pid, 'sleep');
    const me = inspect(process.pid);
    expect(s.sid).toBe(me.sid);
    expect(s.pgid).toBe(me.pgid);
  });

  test('cwd, umask and ignored signals set by sh before exec; blocked signals by posix_spawn', async () => {
    const dir = tempDir();
    const pid = start({
      path: SH,
      argv: ['sh', '-c', "umask 027; trap '' USR2 HUP; exec sleep 60"],
      cwd: dir,
      blockedSignals: [signalNumber('SIGUSR1')!, signalNumber('SIGTERM')!],
    });
    const s = await whenRunning(pid, 'sleep');
    expect(s.cwd).toBe(dir);
    expect(s.root).toBe('/');
    expect(s.umask).toBe(0o027);
    expect(s.signals.ignored).toEqual([signalNumber('SIGHUP'), signalNumber('SIGUSR2')]);
    expect(s.signals.blocked).toEqual([signalNumber('SIGUSR1'), signalNumber('SIGTERM')].sort((a, b) => a! - b!));
    expect(s.signals.caught).toEqual([]);
    expect(s.unknown).toEqual({});
  });

  test('fds: numbers, kinds, access, O_APPEND, identity; O_CLOEXEC ones are gone after exec', async () => {
    const dir = tempDir();
    const log = join(dir, 'log');
    writeFileSync(log, '');
    const [readEnd, writeEnd] = pipe();
    onTestFinished(() => {
      close(readEnd);
      close(writeEnd);
    });
    const pid = start({
      path: SLEEP,
      argv: ['sleep', '60'],
      closeOtherFds: true,
      fileActions: [
        { op: 'open', fd: 0, path: '/dev/null', flags: O.RDONLY },
        // Our own 1 and 2 may be O_CLOEXEC under vitest: give the child its own.
        { op: 'open', fd: 1, path: '/dev/null', flags: O.WRONLY },
        { op: 'open', fd: 2, path: '/dev/null', flags: O.WRONLY },
        { op: 'open', fd: 7, path: log, flags: O.WRONLY | O.APPEND },
        { op: 'open', fd: 8, path: dir, flags: O.RDONLY | O.DIRECTORY },
        { op: 'open', fd: 9, path: log, flags: O.RDWR | O.CLOEXEC },
        { op: 'dup2', from: writeEnd, to: 300 },
      ],
    });
    const s = await whenRunning(pid, 'sleep');
    const byFd = new Map(s.fds!.map((f) => [f.fd, f]));
    expect([...byFd.keys()]).toEqual([0, 1, 2, 7, 8, 300]);
    expect(byFd.get(0)).toMatchObject({ target: '/dev/null', kind: 'device', access: 'r', cloexec: false, append: false });
    const logStat = statSync(log);
    expect(byFd.get(7)).toMatchObject({ target: log, kind: 'file', access: 'w', append: true, cloexec: false, device: logStat.dev, inode: logStat.ino });
    expect(byFd.get(8)).toMatchObject({ target: dir, kind: 'directory', access: 'r' });
    const pipeStat = fstatSync(writeEnd);
    expect(byFd.get(300)).toMatchObject({ target: `pipe:[${pipeStat.ino}]`, kind: 'pipe', access: 'w', device: pipeStat.dev, inode: pipeStat.ino });
  });

  test('fds held with and without FD_CLOEXEC are reported as such (a live python3 holder)', async () => {
    const dir = tempDir();
    const ready = join(dir, 'ready');
    const script = [
      'import os, time',
      'a = os.open("/dev/null", os.O_RDONLY)', // Python opens non-inheritable: O_CLOEXEC
      'os.dup2(a, 40, inheritable=True)',
      'os.dup2(a, 41, inheritable=False)',
      `open(${JSON.stringify(ready)}, "w").close()`,
      'time.sleep(60)',
    ].join('\n');
    const pid = start({ path: '/usr/bin/python3', argv: ['python3', '-c', script] });
    await vi.waitFor(() => expect(readdirSync(dir)).toContain('ready'), { timeout: 10_000, interval: 5 });
    const byFd = new Map(inspect(pid).fds!.map((f) => [f.fd, f]));
    expect(byFd.get(40)?.cloexec).toBe(false);
    expect(byFd.get(41)?.cloexec).toBe(true);
    const opened = [...byFd.values()].find((f) => f.fd !== 40 && f.fd !== 41 && f.target === '/dev/null' && f.cloexec);
    expect(opened, 'the os.open() fd itself is O_CLOEXEC').toBeDefined();
  });

  test('a pty opened by a session leader becomes its controlling terminal', async () => {
    const pty = openPty();
    onTestFinished(() => close(pty.master));
    const pid = start({
      path: SLEEP,
      argv: ['sleep', '60'],
      setsid: true,
      fileActions: [{ op: 'open', fd: 0, path: pty.slavePath, flags: O.RDWR }],
    });
    const s = await whenRunning(pid, 'sleep');
    expect(s.tty?.name).toBe(pty.slavePath);
    expect(s.tty?.device).toBe(statSync(pty.slavePath).rdev);
    expect(s.tpgid).toBe(pid);
    expect(s.tpgid).toBe(foregroundGroup(pty.master));
    expect(s.fds!.find((f) => f.fd === 0)).toMatchObject({ kind: 'tty', target: pty.slavePath, access: 'rw' });
  });

  test('an open tty fd is not a controlling terminal (O_NOCTTY, or not a session leader)', async () => {
    const pty = openPty();
    onTestFinished(() => close(pty.master));
    const noctty = start({
      path: SLEEP,
      argv: ['sleep', '60'],
      setsid: true,
      fileActions: [{ op: 'open', fd: 0, path: pty.slavePath, flags: O.RDWR | O.NOCTTY }],
    });
    const notLeader = start({
      path: SLEEP,
      argv: ['sleep', '60'],
      pgroup: 0,
      fileActions: [{ op: 'open', fd: 0, path: pty.slavePath, flags: O.RDWR }],
    });
    for (const pid of [noctty, notLeader]) {
      const s = await whenRunning(pid, 'sleep');
      expect(s.fds!.find((f) => f.fd === 0)?.kind).toBe('tty');
      const ours = inspect(process.pid).tty;
      // Without setsid the child keeps whatever terminal we have (none under vitest here).
      expect(s.tty).toEqual(pid === noctty ? null : ours);
    }
  });

  test('a zombie: state Z, no cwd (with the reason), no fds', async () => {
    const pid = spawn({ path: '/bin/true', argv: ['true'], env: process.env });
    onTestFinished(async () => void (await reap(pid)));
    await vi.waitFor(() => expect(isZombie(pid)).toBe(true), { timeout: 10_000, interval: 5 });
    const s = inspect(pid);
    expect(s.state).toBe('Z');
    expect(s.cwd).toBeNull();
    expect(s.fds).toEqual([]);
    expect(s.unknown.cwd).toMatch(/zombie/);
  });

  test('a process that does not exist: ESYSCALL with errno ESRCH and the pid', () => {
    const pid = 4_000_000; // above pid_max (4194304 at most): never a live process
    expect(() => inspect(pid)).toThrow(expect.objectContaining({ code: 'ESYSCALL', errno: 'ESRCH', pid }));
    expect(() => inspect(0)).toThrow(expect.objectContaining({ code: 'EUSAGE' }));
    expect(() => inspect(-1)).toThrow(expect.objectContaining({ code: 'EUSAGE' }));
    expect(() => inspect(1.5)).toThrow(expect.objectContaining({ code: 'EUSAGE' }));
  });

  test('a thread id is not a process (/proc/TID exists but is not listed)', () => {
    const tids = readdirSync(`/proc/${process.pid}/task`).map(Number).filter((t) => t !== process.pid);
    expect(tids.length).toBeGreaterThan(0); // libuv and V8 threads
    expect(() => inspect(tids[0]!)).toThrow(expect.objectContaining({ errno: 'ESRCH' }));
  });

  test('processes exiting while being read give only the clean ESRCH error', async () => {
    let sawGone = 0;
    let sawSnapshot = 0;
    for (let round = 0; round < 20; round++) {
      const pid = spawn({ path: '/bin/true', argv: ['true'], env: process.env });
      // waitpid runs on a koffi worker thread while this thread keeps reading /proc/PID.
      const reaped = reap(pid);
      const deadline = Date.now() + 10_000;
      for (;;) {
        try {
          inspect(pid);
          sawSnapshot++;
        } catch (error) {
          expect(isNoSuchProcess(error), String(error)).toBe(true);
          sawGone++;
          break;
        }
        if (Date.now() > deadline) throw new Error(`pid ${pid} was never reaped`);
      }
      await reaped;
    }
    expect(sawGone).toBe(20);
    expect(sawSnapshot).toBeGreaterThan(0);
  });

  test('a deleted cwd and a deleted open file are still reported (Linux marks them " (deleted)")', async () => {
    const dir = tempDir();
    const gone = join(dir, 'gone');
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(gone);
    const pid = start({ path: SLEEP, argv: ['sleep', '60'], cwd: gone, fileActions: [{ op: 'open', fd: 5, path: file, flags: O.RDONLY }] });
    await whenRunning(pid, 'sleep');
    rmSync(gone, { recursive: true });
    const fd = openSync(file, 'r');
    const ino = fstatSync(fd).ino;
    closeSync(fd);
    rmSync(file);
    const s = inspect(pid);
    expect(s.cwd).toBe(`${gone} (deleted)`);
    expect(s.fds!.find((f) => f.fd === 5)).toMatchObject({ target: `${file} (deleted)`, kind: 'file', inode: ino });
  });
});
