import { statSync } from 'node:fs';
import { describe, expect, onTestFinished, test } from 'vitest';
import { closeQuietly } from '../../src/ffi/libc.js';
import { openPty } from '../../src/ffi/pty.js';
import { py, report, start } from './support.js';

/** A fresh pty (closed at the end of the test) and the tty_nr its slave has in /proc/PID/stat. */
function freshPty(): { master: number; slavePath: string; ttyNr: number } {
  const pty = openPty();
  onTestFinished(() => closeQuietly(pty.master));
  const rdev = statSync(pty.slavePath).rdev;
  // tty_nr = major << 8 | minor (for minors < 256); Node reports rdev in the kernel's new encoding.
  const major = (rdev >> 8) & 0xfff;
  const minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
  return { ...pty, ttyNr: (major << 8) | (minor & 0xff) | ((minor & ~0xff) << 12) };
}

// Opens argv[1] (the slave) with the given flags after setsid(); when argv[2] == 'child', a forked
// child (not a session leader, no ctty) does the open instead.
const OPEN_SLAVE = `
flags = os.O_RDWR | (os.O_NOCTTY if sys.argv[3] == 'noctty' else 0)
os.setsid()
if sys.argv[2] == 'child':
    if os.fork() != 0:
        _, st = os.wait(); sys.exit(os.waitstatus_to_exitcode(st))
fd = os.open(sys.argv[1], flags)
say('stat', stat())
`;

describe('acquiring a controlling terminal', () => {
  // POSIX XBD 11.1.3: whether a session leader without a ctty acquires a terminal it opens without
  // O_NOCTTY is implementation-defined; Linux does (drivers/tty/tty_io.c tty_open → tty_open_proc_set_tty).
  test('a session leader without a controlling terminal acquires a free tty it opens without O_NOCTTY', async () => {
    const pty = freshPty();
    const p = start(py(OPEN_SLAVE, pty.slavePath, 'leader', 'ctty'));
    const s = await report<{ pid: number; sid: number; tty_nr: number; tpgid: number }>(p, 'stat');
    expect(s.sid).toBe(s.pid);
    expect(s.tty_nr).toBe(pty.ttyNr);
    expect(s.tpgid).toBe(s.pid);
  });

  // POSIX open(2) O_NOCTTY: "If set and path identifies a terminal device, open() shall not cause
  // the terminal device to become the controlling terminal for the process."
  test('a session leader that opens the tty with O_NOCTTY does not acquire it', async () => {
    const pty = freshPty();
    const p = start(py(OPEN_SLAVE, pty.slavePath, 'leader', 'noctty'));
    const s = await report<{ tty_nr: number; tpgid: number }>(p, 'stat');
    expect(s.tty_nr).toBe(0);
    expect(s.tpgid).toBe(-1);
  });

  // XBD 11.1.3: the controlling terminal is allocated by the session leader; a process that is not
  // one cannot acquire it by open(). This is why daemons fork a second time.
  test('a process that is not a session leader does not acquire a tty it opens without O_NOCTTY', async () => {
    const pty = freshPty();
    const p = start(py(OPEN_SLAVE, pty.slavePath, 'child', 'ctty'));
    const s = await report<{ pid: number; sid: number; tty_nr: number; tpgid: number }>(p, 'stat');
    expect(s.sid).not.toBe(s.pid);
    expect(s.tty_nr).toBe(0);
    expect(s.tpgid).toBe(-1);
  });

  // tty_ioctl(4) TIOCSCTTY: "the calling process must be a session leader and not have a controlling
  // terminal already" (EPERM otherwise).
  test('TIOCSCTTY fails with EPERM when the caller is not a session leader, and works for one', async () => {
    const pty = freshPty();
    const p = start(py(`
import fcntl, termios
def try_sctty():
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
    try:
        fcntl.ioctl(fd, termios.TIOCSCTTY, 0); return 'ok'
    except OSError as e:
        return errno.errorcode[e.errno]
os.setsid()
child = os.fork()
if child == 0:
    say('child', try_sctty()); os._exit(0)
os.waitpid(child, 0)
say('leader', try_sctty())
say('stat', stat())
`, pty.slavePath));
    expect(await report(p, 'child')).toBe('EPERM');
    expect(await report(p, 'leader')).toBe('ok');
    expect((await report<{ tty_nr: number }>(p, 'stat')).tty_nr).toBe(pty.ttyNr);
  });
});
