import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { checkOnHost } from '../../src/check/index.js';
import { inspect } from '../../src/inspect/index.js';
import { maskReplacingWait } from '../../src/inspect/mask-wait-linux.js';
import { explain, statuses, workDir } from '../check/support.js';

/*
 * A process waiting in rt_sigsuspend (or ppoll, pselect6, epoll_pwait given a mask) shows the
 * call's temporary mask in /proc/PID/status, not its own: nginx's master blocks signals, one its
 * caller blocked among them, and sleeps in rt_sigsuspend with an empty mask, so the checker
 * passed it. Such a mask is not observable from /proc: blocked is null with the reason.
 */

describe('the mask-replacing call /proc/PID/syscall shows', () => {
  test.each([
    ['130 0x7ffc1 0x8 0x0 0x0 0x0 0x0 0x7ffc0 0x7f01', 'x64', 'rt_sigsuspend'],
    ['281 0x4 0x7ffc1 0x200 0xffffffff 0x7ffc2 0x8 0x7ffc0 0x7f01', 'x64', 'epoll_pwait'],
    ['281 0x4 0x7ffc1 0x200 0xffffffff 0x0 0x8 0x7ffc0 0x7f01', 'x64', null], // no mask given: its own stays
    ['271 0x7ffc1 0x1 0x0 0x7ffc2 0x8 0x0 0x7ffc0 0x7f01', 'x64', 'ppoll'],
    ['133 0xffffc1 0x8 0x0 0x0 0x0 0x0 0xffffc0 0xffff01', 'arm64', 'rt_sigsuspend'],
    ['0 0x3 0x7fe7db9a9000 0x20000 0x0 0x0 0x0 0x7ffd25777288 0x7fe7dbb242ad', 'x64', null], // read(2)
    ['-1 0x7ffc0 0x7f01', 'x64', null],
    ['running', 'x64', null],
    ['130 0x7ffc1 0x8 0x0 0x0 0x0 0x0 0x7ffc0 0x7f01', 'riscv64', null], // an arch not listed: no guess
  ])('%s (%s): %s', (text, arch, call) => {
    expect(maskReplacingWait(text, arch)).toBe(call);
  });
});

/** perl blocking SIGUSR1 itself, then waiting in sigsuspend with an empty mask (as nginx's master does). */
const SUSPENDED = 'use POSIX; sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGUSR1)); print "ready\\n"; $| = 1; sigsuspend(POSIX::SigSet->new()) while 1;';

// Linux: /proc/PID/syscall. macOS shows no blocked mask from outside at all (spec/inspect/portable.test.ts).
describe.runIf(process.platform === 'linux')('a process waiting in rt_sigsuspend', () => {
  test('inspect: blocked is the call\'s temporary mask, and says so', async () => {
    const child = spawn('perl', ['-e', SUSPENDED], { stdio: ['ignore', 'pipe', 'inherit'] });
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    await vi.waitFor(() => expect(inspect(child.pid!).signals.blockedWhileIn).toBe('rt_sigsuspend'), { timeout: 10_000, interval: 10 });
    // Its own mask blocks SIGUSR1; the call's is empty.
    expect(inspect(child.pid!).signals.blocked).toEqual([]);
  });

  test('check: signal-mask-empty is not judged (it passed on the temporary empty mask)', async () => {
    const pidfile = join(workDir(), 'p.pid');
    const daemon = `use POSIX; open(my $f, '>', '${pidfile}') or die; print $f "$$\\n"; close $f; sigsuspend(POSIX::SigSet->new()) while 1;`;
    const report = await checkOnHost(['setsid', '-f', 'perl', '-e', daemon], { pidfile, timeoutMs: 10_000 });
    expect(statuses(report)['signal-mask-empty'], explain(report)).toBe('skip');
    expect(report.results.find((r) => r.rule === 'signal-mask-empty')!.message).toBe(
      'the daemon waits in rt_sigsuspend, which replaces its signal mask while it waits: /proc shows that mask (empty), not its own',
    );
  });
});
