/**
 * The strace parser on real output: spec/trace/captured/setsid-double-fork.strace was written by
 * strace 6.1 (Debian bookworm) with the checker's own options (tracedSpawn: -DDD -f -q -ttt -I1
 * -s 256 -e trace=<TRACED_CALLS> -e signal=!SIGCHLD) tracing
 *   /bin/sh -c '( setsid sh -c "umask 022; cd /; exec </dev/null; exec sleep 0.2 & exit 0" & ); sleep 0.5'
 * It holds interleaved `<unfinished ...>` / `<... resumed>` pairs, a vfork whose child ran
 * before the parent's return, and the loader's opens and closes of fd 3.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { citeCall, citeFd } from '../../src/trace/cite.js';
import { chainTo } from '../../src/trace/chain.js';
import { parseStrace, splitArgs } from '../../src/trace/parse.js';
import { sequence } from '../../src/trace/sequence.js';
import { TRACED_CALLS } from '../../src/trace/strace.js';

const CAPTURED = readFileSync(new URL('./captured/setsid-double-fork.strace', import.meta.url), 'utf8');
const trace = parseStrace(CAPTURED, TRACED_CALLS);
const calls = (pid: number): string[] => trace.events.filter((e) => e.pid === pid && e.kind === 'call').map((e) => e.call);

describe('parseStrace on captured strace output', () => {
  it('finds every process and its parent, the vfork child included (its lines come before the vfork returns)', () => {
    expect(trace.processes).toEqual([
      { pid: 4246, parent: null, thread: false },
      { pid: 4252, parent: 4246, thread: false },
      { pid: 4253, parent: 4252, thread: false },
      { pid: 4254, parent: 4246, thread: false },
      { pid: 4257, parent: 4253, thread: false },
    ]);
  });

  it('joins unfinished calls with their resumption, with the result of the resumed line', () => {
    const vfork = trace.events.find((e) => e.call === 'vfork')!;
    expect(vfork).toMatchObject({ pid: 4246, kind: 'call', args: [], result: 4254, errno: null });
    const execve = trace.events.find((e) => e.pid === 4253 && e.call === 'execve')!;
    expect(execve.args[0]).toBe('"/usr/bin/setsid"');
    expect(execve.result).toBe(0);
    const sigaction = trace.events.find((e) => e.pid === 4253 && e.call === 'rt_sigaction')!;
    expect(sigaction.args).toHaveLength(4); // the args of the unfinished line and of the resumed one, joined
    expect(CAPTURED).toContain('<unfinished ...>');
  });

  it('keeps the calls that make the daemon, in order, with octal umask results and exits', () => {
    expect(calls(4253).filter((c) => !c.startsWith('rt_sig'))).toEqual([
      'close', 'openat', 'execve', 'setsid', 'execve', 'umask', 'umask', 'umask', 'chdir', 'close', 'dup2', 'close', 'clone', 'exit_group',
    ]);
    const umask = trace.events.filter((e) => e.call === 'umask');
    expect(umask.map((e) => [e.args[0], e.result])).toEqual([['000', 0o22], ['022', 0], ['022', 0o22]]);
    expect(trace.events.find((e) => e.call === 'setsid')).toMatchObject({ pid: 4253, result: 4253 });
    expect(trace.events.filter((e) => e.kind === 'exit').map((e) => [e.pid, e.call, e.result])).toEqual([
      [4252, 'exited', 0], [4253, 'exited', 0], [4257, 'exited', 0], [4254, 'exited', 0], [4246, 'exited', 0],
    ]);
    expect(trace.events.find((e) => e.call === 'exit_group')!.result).toBeNull();
  });

  it('keeps only opens landing on fd 0-2 and leaves out the closes of the fds the left-out opens returned', () => {
    const opens = trace.events.filter((e) => e.call === 'openat');
    expect(opens.map((e) => [e.pid, e.args[1], e.result])).toEqual([[4253, '"/dev/null"', 0], [4257, '"/dev/null"', 0]]);
    expect(trace.events.filter((e) => e.call === 'close' && e.args[0] === '3')).toEqual([]);
    expect(trace.omitted).toBeGreaterThan(100);
  });

  it('times are milliseconds from the first event, in order', () => {
    expect(trace.events[0]).toMatchObject({ pid: 4246, call: 'execve', time: 0 });
    const times = trace.events.map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(trace.events.find((e) => e.call === 'setsid')!.time).toBeCloseTo(9.907, 3);
  });

  it('reads the chain to the daemon and cites what it did and did not do', () => {
    expect(chainTo(trace, 4257)).toEqual([4252, 4253, 4257]);
    expect(citeCall(trace, 4257, ['umask'], 'umask()')).toBe('trace: umask(022) = 0022 in pid 4253 at +23.428 ms');
    expect(citeCall(trace, 4254, ['umask'], 'umask()')).toBe('trace: no umask() in pid 4254 before the exec of /usr/bin/sleep');
    expect(citeFd(trace, 4257, 0)).toBe('trace: fd 0 was last changed by openat("/dev/null") = 0 in pid 4257 at +24.048 ms');
    expect(citeFd(trace, 4257, 7)).toBe('trace: no close(7), dup2() onto 7 or close_range() over it in pids 4252 → 4253 → 4257 before the exec of /usr/bin/sleep');
    expect(citeCall(trace, 9999, ['umask'], 'umask()')).toBeNull();
  });

  it('folds runs of one repetitive call in the compact sequence', () => {
    const steps = sequence(trace, 4253).map((s) => s.text);
    expect(steps).toContain('setsid() = 4253');
    expect(steps).toContain('dup2(3, 0)');
    expect(steps.some((s) => /^rt_sigaction ×\d+$/.test(s))).toBe(true);
  });
});

describe('splitArgs', () => {
  it('splits at top-level commas only', () => {
    expect(splitArgs('AT_FDCWD, "/a,b", O_RDONLY')).toEqual(['AT_FDCWD', '"/a,b"', 'O_RDONLY']);
    expect(splitArgs('SIGINT, {sa_handler=SIG_IGN, sa_mask=[INT]}, NULL, 8')).toEqual(['SIGINT', '{sa_handler=SIG_IGN, sa_mask=[INT]}', 'NULL', '8']);
    expect(splitArgs('"a\\"b", 1')).toEqual(['"a\\"b"', '1']);
    expect(splitArgs('')).toEqual([]);
  });
});
