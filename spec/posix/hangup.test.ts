import { describe, expect, test } from 'vitest';
import { closeQuietly } from '../../src/ffi/libc.js';
import { openPty } from '../../src/ffi/pty.js';
import { py, report, start, statFields, waitFor } from './support.js';

// Becomes a session leader with argv[1] as controlling terminal; reports HUP/CONT it receives.
const LEADER = `
os.setsid()
tty = os.open(sys.argv[1], os.O_RDWR)
def on(sig, frame):
    say('got', signal.Signals(sig).name)
    if sig == signal.SIGHUP: os._exit(0)
signal.signal(signal.SIGHUP, on)
`;

describe('terminal hangup', () => {
  // POSIX XBD 11.1.10 / close(2): when the last close of the master hangs up the terminal, SIGHUP is
  // sent to the controlling process (the session leader). Linux: tty_vhangup → __tty_hangup.
  test('closing the pty master sends SIGHUP to the session leader', async () => {
    const pty = openPty();
    const p = start(py(LEADER + `
say('ready', stat()['tty_nr'] != 0)
while True: signal.pause()
`, pty.slavePath));
    expect(await report(p, 'ready')).toBe(true);
    closeQuietly(pty.master);
    expect(await report(p, 'got')).toBe('SIGHUP');
    expect((await p.exited).exitCode).toBe(0);
  });

  // POSIX _exit(2): "If the process is a controlling process, the SIGHUP signal shall be sent to each
  // process in the foreground process group of the controlling terminal belonging to the calling process."
  test('when the controlling process exits, the foreground process group gets SIGHUP', async () => {
    const pty = openPty();
    try {
      const p = start(py(LEADER + `
r, w = os.pipe()
child = os.fork()
if child == 0:                      # same (foreground) group, not the leader
    os.close(r)
    say('child', os.getpid())
    os.write(w, b'.')
    while True: signal.pause()
os.close(w); os.read(r, 1)
say('foreground', os.tcgetpgrp(tty) == os.getpgrp())
os._exit(0)                         # the controlling process leaves: the kernel hangs up the session
`, pty.slavePath));
      expect(await report(p, 'foreground')).toBe(true);
      const child = await report<number>(p, 'child');
      expect(await report(p, 'got')).toBe('SIGHUP'); // written by the child's handler
      await waitFor(`child ${child} to exit`, () => {
        try {
          return statFields(child)[0] === 'Z' || undefined;
        } catch {
          return true;
        }
      }, { seen: () => 'still running' });
    } finally {
      closeQuietly(pty.master);
    }
  });
});

describe('orphaned process groups', () => {
  // POSIX _exit(2): "If the exit of the process causes a process group to become orphaned, and if any
  // member of the newly-orphaned process group is stopped, then a SIGHUP signal followed by a SIGCONT
  // signal shall be sent to each process in the newly-orphaned process group." Linux: kill_orphaned_pgrp.
  test('an orphaned process group with a stopped member gets SIGHUP and SIGCONT', async () => {
    const p = start(py(`
os.setsid()
child = os.fork()
if child == 0:
    os.setpgid(0, 0)                # its own group; its parent (other group, same session) keeps it un-orphaned
    got = []
    def on(sig, frame):
        got.append(signal.Signals(sig).name)
        if len(got) == 2:
            say('got', got); os._exit(0)
    signal.signal(signal.SIGHUP, on)
    signal.signal(signal.SIGCONT, on)
    say('child', os.getpid())
    os.kill(os.getpid(), signal.SIGSTOP)
    while True: signal.pause()
while True: signal.pause()          # the test kills us once the child is stopped
`));
    const child = await report<number>(p, 'child');
    await waitFor(`child ${child} to stop`, () => statFields(child)[0] === 'T', { seen: () => statFields(child).slice(0, 4).join(' ') });
    process.kill(p.pid, 'SIGKILL');
    await p.exited;
    // The handlers run in signal-number order once the child resumes, so the order is not observable
    // here; the kernel sends SIGHUP first (kill_orphaned_pgrp).
    expect(await report<string[]>(p, 'got')).toEqual(['SIGHUP', 'SIGCONT']);
    await waitFor(`child ${child} to exit`, () => {
      try {
        return statFields(child)[0] === 'Z' || undefined;
      } catch {
        return true;
      }
    }, { seen: () => 'still running' });
  });
});
