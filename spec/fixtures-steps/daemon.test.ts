import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { correctSteps, READY_TEXT, stepPaths, type Step } from '../support/steps.js';
import { isRunning, launch, LEAK_FD, pidFrom, sigBit, stop, view, waitExit, workDir } from './launch.js';

const SIGPIPE = 13;
const SIGUSR1 = 10;
const SIGUSR2 = 12;
const SIGXFSZ = 25;

describe('fixtures/steps/daemon.py', () => {
  it('with every step: double fork, new session, umask, cwd, fds, signals, pidfile, readiness', async () => {
    const work = workDir();
    const paths = stepPaths(work);
    const launched = launch(correctSteps(paths), work);
    const exit = await waitExit(launched);
    expect(exit, readFileSync(launched.launcherLog, 'utf8')).toEqual({ pid: launched.pid, exitCode: 0, signal: null });
    // The readiness pipe: the original exits only after the pidfile and the ready line exist.
    expect(existsSync(paths.pidfile)).toBe(true);
    expect(readFileSync(paths.stdout, 'utf8')).toBe(`${READY_TEXT}\n`);
    const pid = await pidFrom(paths.pidfile);
    const v = view(pid);
    expect(v.sid).not.toBe(pid); // second fork: not the session leader
    expect(v.pgid).toBe(v.sid);
    expect(v.sid).not.toBe(launched.pid);
    expect([v.ttyNr, v.tpgid]).toEqual([0, -1]);
    expect(v.umask).toBe(0o022);
    expect(v.cwd).toBe('/');
    expect(v.sigBlk).toBe(0n);
    expect(v.sigIgn).toBe(0n);
    expect(Object.fromEntries(v.fds)).toEqual({ 0: '/dev/null', 1: paths.stdout, 2: paths.stderr });
    await stop(pid);
    expect(existsSync(paths.pidfile)).toBe(false);
  });

  it('without the clean-up steps keeps every trap: mask, ignored signals, umask, cwd, stdin, leaked fd', async () => {
    const work = workDir();
    const paths = stepPaths(work);
    const steps: Step[] = [{ step: 'fork' }, { step: 'setsid' }, { step: 'pidfile', path: paths.pidfile }, { step: 'notify-parent' }];
    const launched = launch(steps, work);
    expect((await waitExit(launched)).exitCode).toBe(0);
    const pid = await pidFrom(paths.pidfile);
    const v = view(pid);
    expect(v.sid).toBe(pid); // single fork: session leader
    expect(v.ttyNr).toBe(0);
    expect(v.umask).toBe(0o077);
    expect(v.cwd).toBe(work);
    expect(v.sigBlk & sigBit(SIGUSR1)).toBe(sigBit(SIGUSR1));
    // SIGUSR2 from the caller, SIGPIPE and SIGXFSZ from Python's own start-up.
    for (const sig of [SIGUSR2, SIGPIPE, SIGXFSZ]) expect(v.sigIgn & sigBit(sig)).toBe(sigBit(sig));
    expect(v.fds.get(0)).toBe(launched.stdinTrap);
    expect(v.fds.get(LEAK_FD)).toBe(launched.leakPath);
    await stop(pid);
  });

  it('unblock-signals and default-signals each do only their half', async () => {
    const work = workDir();
    const results: bigint[][] = [];
    for (const [name, step] of [
      ['unblock', { step: 'unblock-signals' }],
      ['default', { step: 'default-signals' }],
    ] as const) {
      const pidfile = `${work}/${name}.pid`;
      const launched = launch([{ step: 'fork' }, step, { step: 'pidfile', path: pidfile }, { step: 'notify-parent' }], work);
      expect((await waitExit(launched)).exitCode).toBe(0);
      const pid = await pidFrom(pidfile);
      const v = view(pid);
      results.push([v.sigBlk, v.sigIgn]);
      await stop(pid);
    }
    expect(results[0]![0]).toBe(0n);
    expect(results[0]![1] & sigBit(SIGUSR2)).toBe(sigBit(SIGUSR2));
    expect(results[1]![0]).toBe(sigBit(SIGUSR1));
    expect(results[1]![1]).toBe(0n);
  });

  it("seed-redirect reproduces the seed's mix-up: OUT on fd 0, ERR on fd 1, fd 2 closed", async () => {
    const work = workDir();
    const paths = stepPaths(work);
    const steps: Step[] = [
      { step: 'fork' },
      { step: 'setsid' },
      { step: 'fork' },
      { step: 'close-fds' },
      { step: 'seed-redirect', out: paths.stdout, err: paths.stderr },
      { step: 'ready-log', text: 'to fd 1' },
      { step: 'log-err', text: 'to fd 2' },
      { step: 'pidfile', path: paths.pidfile },
      { step: 'notify-parent' },
    ];
    const launched = launch(steps, work);
    expect((await waitExit(launched)).exitCode).toBe(0);
    const pid = await pidFrom(paths.pidfile);
    const v = view(pid);
    expect(Object.fromEntries(v.fds)).toEqual({ 0: paths.stdout, 1: paths.stderr });
    expect(readFileSync(paths.stderr, 'utf8')).toBe('to fd 1\n');
    expect(readFileSync(paths.stdout, 'utf8')).toBe('');
    await stop(pid);
  });

  it('notify-parent: the original exits 1 when the daemon dies before it is ready', async () => {
    const work = workDir();
    const launched = launch([{ step: 'fork' }, { step: 'exit-early' }, { step: 'notify-parent' }], work);
    expect(await waitExit(launched)).toEqual({ pid: launched.pid, exitCode: 1, signal: null });
  });

  it('without notify-parent the original exits first; wait-original-exit holds the daemon until it is reaped', async () => {
    const work = workDir();
    const paths = stepPaths(work);
    const launched = launch(
      [{ step: 'fork' }, { step: 'setsid' }, { step: 'wait-original-exit' }, { step: 'pidfile', path: paths.pidfile }],
      work,
    );
    // Not reaped yet: the original is a zombie, so /proc still has it and the daemon keeps waiting.
    await vi.waitFor(
      () => {
        if (isRunning(launched.pid)) throw new Error(`original ${launched.pid} still running`);
      },
      { timeout: 10_000, interval: 10 },
    );
    expect(existsSync(paths.pidfile)).toBe(false);
    expect((await waitExit(launched)).exitCode).toBe(0);
    const pid = await pidFrom(paths.pidfile);
    await stop(pid);
  });

  it('a failing step says which and exits 1: setsid in a process-group leader', async () => {
    const work = workDir();
    const launched = launch([{ step: 'setsid' }], work, { pgroupLeader: true });
    expect((await waitExit(launched)).exitCode).toBe(1);
    expect(readFileSync(launched.launcherLog, 'utf8')).toMatch(/^steps: setsid: \[Errno 1\] Operation not permitted/m);
  });

  it('an unknown step is a usage error (exit 2)', async () => {
    const work = workDir();
    const launched = launch([{ step: 'bogus' } as unknown as Step], work);
    expect((await waitExit(launched)).exitCode).toBe(2);
    expect(readFileSync(launched.launcherLog, 'utf8')).toMatch(/unknown step 'bogus'/);
  });
});
