import { expect, test } from 'vitest';
import { py, report, start } from './support.js';

// POSIX exec(3) DESCRIPTION: the new image inherits the umask, the signal mask, and open fds without
// FD_CLOEXEC; "Signals set to the default action (SIG_DFL) or ignored (SIG_IGN) by the calling process
// image shall be set to the same" while "signals set to be caught ... shall be set to the default action";
// FD_CLOEXEC fds are closed. LTP: execve*, fcntl (F_SETFD), umask. What a daemonizer does not reset,
// the daemon keeps: this is why the checker's traps (umask 077, blocked SIGUSR1, ignored SIGUSR2,
// leaked fds) reach daemons of tools that skip the reset.
test('umask, ignored signals, the signal mask and non-CLOEXEC fds survive exec; caught handlers and CLOEXEC fds do not', async () => {
  const p = start(py(`
os.umask(0o027)
signal.signal(signal.SIGUSR2, signal.SIG_IGN)
signal.signal(signal.SIGUSR1, lambda s, f: None)
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGWINCH])
# High, distinctive numbers: the shell's own pipes take the low free ones.
kept = os.dup2(os.open('/dev/null', os.O_RDONLY), 41, inheritable=True)
closed = os.dup2(os.open('/dev/null', os.O_RDONLY), 42, inheritable=False)
say('fds', {'kept': kept, 'closed': closed})
# The new image reports on itself (a shell would show its own transient sigsuspend mask).
os.execv(sys.executable, [sys.executable, '-c', "import os; print(open('/proc/self/status').read()); print('open:', *os.listdir('/proc/self/fd'))"])
`));
  const fds = await report<{ kept: number; closed: number }>(p, 'fds');
  expect((await p.exited).exitCode).toBe(0);
  const out = p.output();
  const field = (name: string): bigint => BigInt('0x' + new RegExp(`^${name}:\\s*([0-9a-f]+)$`, 'm').exec(out)![1]!);
  const bit = (signal: number): bigint => 1n << BigInt(signal - 1);
  expect(/^Umask:\s*0027$/m.test(out), out).toBe(true);
  expect(field('SigIgn') & bit(12), 'SIGUSR2 still ignored').toBe(bit(12));
  expect(field('SigCgt') & bit(10), 'SIGUSR1 no longer caught').toBe(0n);
  expect(field('SigIgn') & bit(10), 'SIGUSR1 back to default, not ignored').toBe(0n);
  expect(field('SigBlk') & bit(28), 'SIGWINCH still blocked').toBe(bit(28));
  const open = /^open: (.*)$/m.exec(out)![1]!.trim().split(/\s+/).map(Number);
  expect(open).toContain(fds.kept);
  expect(open).not.toContain(fds.closed);
});
