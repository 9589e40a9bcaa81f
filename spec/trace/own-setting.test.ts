/**
 * Who set a piece of the daemon's state, read from a trace (src/trace/own-setting.ts). The
 * signal mask is each thread's own and is copied at fork: neither another thread's call nor a
 * parent's call after it forked the daemon makes a signal the daemon's choice. The traces are
 * written in strace's output format (-f -ttt), as the checker takes it.
 */
import { describe, expect, it } from 'vitest';
import { parseStrace } from '../../src/trace/parse.js';
import { blockedByChain, umaskSetByChain } from '../../src/trace/own-setting.js';
import { TRACED_CALLS } from '../../src/trace/strace.js';

const LAUNCHER = [
  '100  1000.000001 execve("/bin/bash", ["bash"], 0x7ffc /* 9 vars */) = 0',
  '100  1000.000002 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 101',
  '101  1000.000003 execve("/usr/bin/prog", ["prog"], 0x7ffc /* 9 vars */) = 0',
];

function trace(lines: readonly string[]) {
  return parseStrace([...LAUNCHER, ...lines].join('\n'), TRACED_CALLS);
}

describe('blockedByChain', () => {
  it("the daemon's own SIG_BLOCK naming the signal: its choice", () => {
    const t = trace(['101  1000.000004 rt_sigprocmask(SIG_BLOCK, [PROF], [], 8) = 0']);
    expect(blockedByChain(t, 101, 'SIGPROF')).toBe(true);
  });

  it('another thread of the daemon blocking it: not the main thread\'s mask, not a choice', () => {
    const t = trace([
      '101  1000.000004 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f, parent_tid=0x7f, exit_signal=0, stack=0x7f, stack_size=0x7fff00, tls=0x7f} => {parent_tid=[102]}, 88) = 102',
      '102  1000.000005 rt_sigprocmask(SIG_BLOCK, [PROF], [], 8) = 0',
    ]);
    expect(blockedByChain(t, 101, 'SIGPROF')).toBe(false);
  });

  it('a parent blocking it after it forked the daemon: not a choice the daemon inherited', () => {
    const t = trace([
      '101  1000.000004 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 103',
      '101  1000.000005 rt_sigprocmask(SIG_BLOCK, [PROF], [], 8) = 0',
      '103  1000.000006 setsid() = 103',
    ]);
    expect(blockedByChain(t, 103, 'SIGPROF')).toBe(false);
  });

  it('a parent blocking it before it forked the daemon: inherited from the program, its choice', () => {
    const t = trace([
      '101  1000.000004 rt_sigprocmask(SIG_BLOCK, [PROF], [], 8) = 0',
      '101  1000.000005 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 103',
      '103  1000.000006 setsid() = 103',
    ]);
    expect(blockedByChain(t, 103, 'SIGPROF')).toBe(true);
  });

  it('a block by the thread that created the forking thread, before it did: the forking thread started with it', () => {
    const t = trace([
      '101  1000.000004 rt_sigprocmask(SIG_BLOCK, [PROF], [], 8) = 0',
      '101  1000.000005 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f, parent_tid=0x7f, exit_signal=0, stack=0x7f, stack_size=0x7fff00, tls=0x7f} => {parent_tid=[102]}, 88) = 102',
      '102  1000.000006 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 103',
      '103  1000.000007 setsid() = 103',
    ]);
    expect(blockedByChain(t, 103, 'SIGPROF')).toBe(true);
  });

  it('a SIG_SETMASK naming it (maybe a mask put back), or a block of "all but": no choice', () => {
    expect(blockedByChain(trace(['101  1000.000004 rt_sigprocmask(SIG_SETMASK, [PROF], NULL, 8) = 0']), 101, 'SIGPROF')).toBe(false);
    expect(blockedByChain(trace(['101  1000.000004 rt_sigprocmask(SIG_BLOCK, ~[RTMIN RT_1], [], 8) = 0']), 101, 'SIGPROF')).toBe(false);
  });
});

describe('umaskSetByChain', () => {
  it("a parent's umask() after it forked the daemon is not the daemon's", () => {
    const t = trace([
      '101  1000.000004 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 103',
      '101  1000.000005 umask(000) = 022',
      '103  1000.000006 setsid() = 103',
    ]);
    expect(umaskSetByChain(t, 103, 0)).toBe(false);
    expect(umaskSetByChain(t, 101, 0)).toBe(true);
  });
});
