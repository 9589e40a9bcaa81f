import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import koffi from 'koffi';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bindDarwinCallsForTests, darwinStructs } from '../../src/ffi/libproc-darwin.js';
import { darwinBackend } from '../../src/inspect/darwin.js';
import { isNoSuchProcess } from '../../src/inspect/no-such-process.js';

const { Eproc, ExternProc, KinfoProc, PipeFdInfo, ProcBsdInfo, SocketFdInfo, VnodeFdInfoWithPath } = darwinStructs();

/*
 * The darwin backend's marshalling, run on Linux (issue 18): a C library with libSystem's names
 * and xnu's struct layouts (spec/inspect/fake-libsystem/fake-libsystem.c, its structs transcribed
 * from xnu-11417.101.15 a second time, in C, with the sizes pinned by _Static_assert) is built
 * here and bound in place of libSystem, and src/inspect/darwin.ts reads fixed processes from it:
 * a daemon with a file, pipes, a socket, a kqueue and an fd closed mid-listing; a zombie session
 * leader and a zombie that is not one; a process with a controlling terminal, chrooted, whose
 * environment the kernel leaves out; another user's process, which libproc refuses; the daemon's
 * child holding its log open (found by openers()); a process whose fds become unreadable after
 * the listing; a pid that does not exist; the checker's own fds. Each pid's behaviour is listed
 * at the top of the C file.
 */
const LP64 = process.arch === 'x64' || process.arch === 'arm64';
const RUNS_HERE = LP64 && process.platform === 'linux';
// The stand-in is compiled here: without a C compiler the suite is skipped with the reason, except
// in CI, which installs one (gcc and libc6-dev, scripts/install-debian-deps.sh) and so fails instead.
const NO_COMPILER = RUNS_HERE && spawnSync('cc', ['--version'], { stdio: 'ignore' }).error ? 'no C compiler (cc): the darwin marshalling cannot be built here' : null;
const CI = Boolean(process.env.CI);
const DAEMON = 4242;
const ZOMBIE_LEADER = 4243;
const ON_TTY = 4244;
const ZOMBIE = 4245;
const OTHER_USER = 4246;
const HOLDER = 4247;
const SETUID_MIDWAY = 4248;
const GONE = 4250;
const LOG = { device: 16777220, inode: 987654 };
const PERMISSION = "permission denied: another user's process (run as root)";
const PIPE_HANDLE = 0xfedcba9876543211n;
const PIPE_HANDLE_2 = 0xfedcba9876543212n;
const SOCKET_HANDLE = 0x8badf00ddeadbeefn;

let dir = '';
let library = '';

const TITLE = 'inspect/darwin.ts against a libSystem stand-in with xnu layouts';
describe.runIf(RUNS_HERE && (!NO_COMPILER || CI))(NO_COMPILER && !CI ? `${TITLE} (skipped: ${NO_COMPILER})` : TITLE, () => {
  beforeAll(() => {
    if (NO_COMPILER) throw new Error(`${NO_COMPILER}; CI installs gcc and libc6-dev (scripts/install-debian-deps.sh)`);
    dir = mkdtempSync(join(tmpdir(), 'ds-fake-libsystem-'));
    library = join(dir, 'fake-libsystem.so');
    // -Werror: a _Static_assert on an xnu size that fails stops the build, and so this test.
    execFileSync('cc', ['-shared', '-fPIC', '-Wall', '-Werror', '-o', library, fileURLToPath(new URL('./fake-libsystem/fake-libsystem.c', import.meta.url))]);
    bindDarwinCallsForTests(library);
  });
  afterAll(() => {
    bindDarwinCallsForTests(null);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('koffi\'s declarations put every field the backend reads where the C compiler puts xnu\'s', () => {
    const offset = koffi.load(library).func('int fake_offset(int i)') as (i: number) => number;
    const eproc = koffi.offsetof(KinfoProc, 'kp_eproc');
    const expected = [
      koffi.offsetof(PipeFdInfo, 'pipe_handle'),
      koffi.offsetof(SocketFdInfo, 'soi_so'),
      eproc + koffi.offsetof(Eproc, 'e_tdev'),
      eproc + koffi.offsetof(Eproc, 'e_flag'),
      koffi.offsetof(ExternProc, 'p_comm'),
      koffi.offsetof(ExternProc, 'p_sigignore'),
      koffi.offsetof(VnodeFdInfoWithPath, 'pvip') + 152,
      koffi.offsetof(ProcBsdInfo, 'pbi_start_tvsec'),
      eproc + koffi.offsetof(Eproc, 'e_ucred') + 12,
      eproc + koffi.offsetof(Eproc, 'e_ppid'),
      koffi.offsetof(ExternProc, 'p_sigcatch'),
      koffi.offsetof(ExternProc, 'p_stat'),
    ];
    expect(expected.map((_, i) => offset(i))).toEqual(expected);
    expect(offset(expected.length)).toBe(-1);
  });

  test('a daemon: ids, credentials, signals, cwd, argv, and no terminal', () => {
    const s = darwinBackend.inspect(DAEMON);
    expect(s).toMatchObject({
      pid: DAEMON,
      ppid: 1,
      pgid: DAEMON,
      sid: DAEMON,
      tpgid: null,
      tty: null,
      umask: null,
      cwd: '/private/var/db/fake',
      root: '/',
      signals: { blocked: null, ignored: [1, 13], caught: [15] },
      uid: 503,
      gid: 20,
      groups: [20, 12],
      uids: { real: 501, effective: 503, saved: 502 },
      gids: { real: 20, effective: 20, saved: 21 },
      cmdline: ['fake-daemon', '--foreground'],
      state: 'S',
      startTime: 1700000000 * 1_000_000 + 123456 + DAEMON,
      name: 'fake-daemon',
    });
    expect(Object.keys(s.unknown).sort()).toEqual(['signals.blocked', 'umask']);
  });

  test('its fds: vnodes with flags, pipes and a socket named by their 64-bit handles, a kqueue, one closed meanwhile', () => {
    const fds = darwinBackend.inspect(DAEMON).fds!;
    expect(fds.map((fd) => fd.fd)).toEqual([0, 1, 3, 4, 5, 6, 7]); // 9: EBADF, closed since the listing
    const [devnull, log, pipeW, pipeR, socket, kqueue, pshm] = fds;
    expect(devnull).toEqual({ fd: 0, target: '/dev/null', kind: 'device', device: 0x3000002, inode: 313, cloexec: false, append: false, nonblocking: false, access: 'r' });
    expect(log).toEqual({ fd: 1, target: '/var/log/fake.log', kind: 'file', device: 16777220, inode: 987654, cloexec: true, append: true, nonblocking: false, access: 'w' });
    expect(pipeW).toEqual({ fd: 3, target: `pipe:[${PIPE_HANDLE}]`, kind: 'pipe', device: null, inode: null, cloexec: false, append: false, nonblocking: false, access: 'w' });
    expect(pipeR!.target).toBe(`pipe:[${PIPE_HANDLE_2}]`);
    expect(pipeR!.target).not.toBe(pipeW!.target); // handles 1 apart: distinct, which numbers would not be
    expect(Number(PIPE_HANDLE)).toBe(Number(PIPE_HANDLE_2));
    expect(socket).toMatchObject({ fd: 5, target: `socket:[${SOCKET_HANDLE}]`, kind: 'socket', access: 'rw', cloexec: true });
    expect(kqueue).toMatchObject({ fd: 6, target: 'kqueue', kind: 'anon', access: 'r' });
    expect(pshm).toMatchObject({ fd: 7, target: 'type 3', kind: 'anon', access: 'rw' });
  });

  test('the checker\'s own fds, as a trap it plants is named (traps.ts trapIdentity): the same reader and the same 64-bit handles as the daemon\'s', () => {
    // The fake gives the calling process the daemon's fd table (fake-libsystem.c fd_owner).
    const daemonFds = new Map(darwinBackend.inspect(DAEMON).fds!.map((fd) => [fd.fd, fd]));
    const pipe = darwinBackend.openFd(process.pid, 3);
    const socket = darwinBackend.openFd(process.pid, 5);
    expect(pipe).toEqual(daemonFds.get(3));
    expect(pipe!.target).toBe(`pipe:[${PIPE_HANDLE}]`);
    expect(socket).toEqual(daemonFds.get(5));
    expect(socket!.target).toBe(`socket:[${SOCKET_HANDLE}]`); // soi_so, not fstat's unp_ino
    expect(darwinBackend.openFd(process.pid, 1)).toMatchObject({ target: '/var/log/fake.log', device: 16777220, inode: 987654 });
    expect(darwinBackend.openFd(process.pid, 8)).toBeNull(); // not open
    expect(darwinBackend.openFd(process.pid, 9)).toBeNull(); // closed since the listing (EBADF)
  });

  test('its environment stops where the apple strings start, even with no NUL between them', () => {
    const env = darwinBackend.environ(DAEMON)!;
    expect(env[0]).toBe('DAEMONSPEC_CHECK_ID=abc');
    expect(env).toHaveLength(2);
    expect(env[1]).toMatch(/^PAD=x*$/);
    expect(darwinBackend.argv(DAEMON)).toEqual(['fake-daemon', '--foreground']);
  });

  test('a process with a controlling terminal, chrooted, whose environment the kernel leaves out', () => {
    const s = darwinBackend.inspect(ON_TTY);
    expect(s.tty).toEqual({ device: 0x10000003, name: '/dev/ttys003' });
    expect(s.tpgid).toBe(4001);
    expect(s.sid).toBe(4000);
    expect(s.root).toBe('/private/jail');
    // No open fds: PROC_PIDLISTFDS answers 0 bytes, which is an empty table, not a failure.
    expect(s.fds).toEqual([]);
    expect(s.unknown.fds).toBeUndefined();
    expect(s.cmdline).toEqual(['fake-daemon', '--foreground']);
    expect(darwinBackend.environ(ON_TTY)).toBeNull(); // unknown, not empty
  });

  test('a zombie session leader: sysctl still lists it, getsid refuses it, its sid is its pid', () => {
    const s = darwinBackend.inspect(ZOMBIE_LEADER);
    expect(s).toMatchObject({ state: 'Z', sid: ZOMBIE_LEADER, pgid: ZOMBIE_LEADER, fds: null, cwd: null, root: null, cmdline: [] });
    expect(s.unknown.fds).toMatch(/zombie/);
    expect(darwinBackend.summary(ZOMBIE_LEADER)).toMatchObject({ state: 'Z', sid: ZOMBIE_LEADER });
  });

  test('a zombie that led no session: its sid is unknown, with the reason', () => {
    const s = darwinBackend.inspect(ZOMBIE);
    expect(s.state).toBe('Z');
    expect(s.sid).toBe(-1);
    expect(s.unknown.sid).toMatch(/getsid/);
  });

  test('a pid with no process: inspect throws ESRCH, summary is null, argv and environ are []', () => {
    let error: unknown = null;
    try {
      darwinBackend.inspect(GONE);
    } catch (e) {
      error = e;
    }
    expect(isNoSuchProcess(error)).toBe(true);
    expect(darwinBackend.summary(GONE)).toBeNull();
    expect(darwinBackend.argv(GONE)).toEqual([]);
    expect(darwinBackend.environ(GONE)).toEqual([]);
  });

  test('process lists: every pid with its summary, and the children of a pid', () => {
    // proc_listpids also names 0 and GONE (exited since the listing): both left out.
    expect(darwinBackend.listProcesses().map((p) => [p.pid, p.state, p.ttyDevice])).toEqual([
      [DAEMON, 'S', 0],
      [ZOMBIE_LEADER, 'Z', 0],
      [ON_TTY, 'S', 0x10000003],
      [ZOMBIE, 'Z', 0],
      [OTHER_USER, 'R', 0],
      [HOLDER, 'T', 0],
      [SETUID_MIDWAY, 'S', 0x10000063],
    ]);
    expect(darwinBackend.childPids(4000)).toEqual([ON_TTY, ZOMBIE, SETUID_MIDWAY]);
    expect(darwinBackend.childPids(DAEMON)).toEqual([HOLDER]);
  });

  test('another user\'s process: what sysctl and getsid give is known, what libproc refuses (EPERM) is null with the reason', () => {
    const s = darwinBackend.inspect(OTHER_USER);
    expect(s).toMatchObject({
      pid: OTHER_USER,
      ppid: 1,
      pgid: OTHER_USER,
      sid: OTHER_USER,
      state: 'R',
      name: 'httpd',
      fds: null,
      cwd: null,
      root: null,
      cmdline: [],
      // PROC_PIDTBSDINFO is refused too: the credentials come from kinfo_proc alone (effective
      // uid cr_uid, effective gid cr_groups[0]), and differ from the real ids here.
      uid: 70,
      gid: 70,
      groups: [70, 12],
      uids: { real: 70, effective: 70, saved: 70 },
      gids: { real: 20, effective: 70, saved: 70 },
    });
    expect(s.unknown).toMatchObject({ fds: PERMISSION, cwd: PERMISSION, root: PERMISSION });
    expect(s.unknown.cmdline).toMatch(/KERN_PROCARGS2 refused/);
    expect(darwinBackend.argv(OTHER_USER)).toBeNull(); // unknown, not gone
    expect(darwinBackend.environ(OTHER_USER)).toBeNull();
    expect(darwinBackend.openFd(OTHER_USER, 0)).toBeNull();
    expect(darwinBackend.summary(OTHER_USER)).toMatchObject({ sid: OTHER_USER, state: 'R' });
  });

  test('a process whose fds become unreadable after the listing (EPERM from proc_pidfdinfo): each fd by number and type, nothing more', () => {
    const s = darwinBackend.inspect(SETUID_MIDWAY);
    const unread = { kind: 'other', target: 'type 1', device: null, inode: null, cloexec: null, append: null, access: null };
    expect(s.fds).toEqual([{ fd: 0, ...unread }, { fd: 1, ...unread }]);
    expect(s.unknown.fds).toBeUndefined();
    expect(darwinBackend.openFd(SETUID_MIDWAY, 1)).toEqual({ fd: 1, ...unread });
    // A controlling terminal devname() cannot name ("??"), with no foreground group.
    expect(s.tty).toEqual({ device: 0x10000063, name: null });
    expect(s.tpgid).toBeNull();
  });

  test('the daemon\'s stopped child: a terminal, a directory, a fifo, the inherited log, and an fd type libproc has no flavor for', () => {
    const s = darwinBackend.inspect(HOLDER);
    expect(s).toMatchObject({ ppid: DAEMON, pgid: DAEMON, sid: DAEMON, state: 'T' });
    expect(s.fds).toEqual([
      { fd: 0, target: '/dev/ttys003', kind: 'tty', device: 0x3000002, inode: 900, cloexec: false, append: false, nonblocking: false, access: 'rw' },
      { fd: 2, target: '/private/var/db/fake', kind: 'directory', device: LOG.device, inode: 2, cloexec: false, append: false, nonblocking: false, access: 'r' },
      { fd: 4, target: '/var/log/fake.log', kind: 'file', ...LOG, cloexec: false, append: true, nonblocking: false, access: 'w' },
      { fd: 8, target: '/private/var/run/fake.fifo', kind: 'pipe', device: LOG.device, inode: 4711, cloexec: false, append: false, nonblocking: false, access: 'r' },
      { fd: 10, target: 'type 7', kind: 'other', device: null, inode: null, cloexec: null, append: null, access: null }, // PROX_FDTYPE_FSEVENTS
      { fd: 12, target: '/dev/disk0s1', kind: 'device', device: 0x3000002, inode: 901, cloexec: false, append: false, nonblocking: false, access: 'r' },
    ]);
  });

  test('openers(): every readable process holding a file open, at which fd (the pidfile lock-holder lookup)', () => {
    // DAEMON and its child hold the log; OTHER_USER is unreadable (EPERM) and so left out, as the
    // zombies (no files), GONE (exited since the listing) and ON_TTY (no fds) are.
    expect(darwinBackend.openers(LOG.device, LOG.inode)).toEqual([
      { pid: DAEMON, fd: 1, flock: null },
      { pid: HOLDER, fd: 4, flock: null },
    ]);
    expect(darwinBackend.openers(LOG.device, 4711)).toEqual([{ pid: HOLDER, fd: 8, flock: null }]);
    expect(darwinBackend.openers(LOG.device, 123)).toEqual([]); // a file no process has open
    expect(darwinBackend.openers(0x3000002 + 1, LOG.inode)).toEqual([]); // same inode, another device
  });
});
