import { describe, expect, test } from 'vitest';
import { py, report, start } from './support.js';

describe('setsid()', () => {
  // POSIX setsid(2) ERRORS: EPERM "the calling process is already a process group leader".
  // LTP setsid01 (first case).
  test('fails with EPERM in a process group leader', async () => {
    const p = start(py(`
os.setpgid(0, 0)
try:
    os.setsid(); say('errno', 0)
except OSError as e:
    say('errno', errno.errorcode[e.errno])
say('leader', os.getpgrp() == os.getpid())
`));
    expect(await report(p, 'leader')).toBe(true);
    expect(await report(p, 'errno')).toBe('EPERM');
  });

  // POSIX setsid(2) ERRORS: EPERM "... or the process group ID of a process other than the calling
  // process matches the process ID of the calling process". LTP setsid01 tests this case.
  test("fails with EPERM in a process whose pid is another process's pgid", async () => {
    const p = start(py(`
os.setpgid(0, 0)                      # group G = our pid
r, w = os.pipe()
member = os.fork()
if member == 0:                        # stays in group G while we leave it
    os.close(w); os.read(r, 1); os._exit(0)
other = os.fork()
if other == 0:
    os.setpgid(0, 0); os.close(w); os.read(r, 1); os._exit(0)
os.setpgid(other, other)               # both sides set it, as shells do: no race
os.setpgid(0, other)                   # we join the other group: no longer a group leader
say('leader', os.getpgrp() == os.getpid())
say('member_pgid_is_our_pid', os.getpgid(member) == os.getpid())
try:
    os.setsid(); say('errno', 0)
except OSError as e:
    say('errno', errno.errorcode[e.errno])
os.close(w); os.waitpid(member, 0); os.waitpid(other, 0)
`));
    expect(await report(p, 'leader')).toBe(false);
    expect(await report(p, 'member_pgid_is_our_pid')).toBe(true);
    expect(await report(p, 'errno')).toBe('EPERM');
  });

  // POSIX setsid(2): "The calling process shall be the session leader of this new session, shall be
  // the process group leader of a new process group, and shall have no controlling terminal."
  // XBD 11.1.3; Linux: no ctty shows as tty_nr 0 and tpgid -1 (proc(5)); /dev/tty gives ENXIO.
  test('after setsid(), sid == pgid == pid and there is no controlling terminal (tty_nr 0, tpgid -1, /dev/tty ENXIO)', async () => {
    const p = start(py(`
if os.fork() != 0:
    os.wait(); sys.exit(0)
os.setsid()
say('stat', stat())
try:
    os.open('/dev/tty', os.O_RDWR); say('devtty', 'opened')
except OSError as e:
    say('devtty', errno.errorcode[e.errno])
`));
    const s = await report<{ pid: number; pgrp: number; sid: number; tty_nr: number; tpgid: number }>(p, 'stat');
    expect(s.sid).toBe(s.pid);
    expect(s.pgrp).toBe(s.pid);
    expect(s.tty_nr).toBe(0);
    expect(s.tpgid).toBe(-1);
    expect(await report(p, 'devtty')).toBe('ENXIO');
  });
});
