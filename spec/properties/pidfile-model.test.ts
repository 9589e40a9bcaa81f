import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPidfile, spawnDaemon, stopDaemon } from '../../src/daemon/index.js';
import { DaemonspecError } from '../../src/errors.js';
import { kill, reap } from '../../src/ffi/libc.js';
import { spawn } from '../../src/ffi/spawn.js';
import { CLI, isRunning, scene, type Scene, TAG, tagged } from '../daemon/support.js';
import { assertProperty, propertyTimeout } from '../support/property.js';

/*
 * Model-based test of the pidfile protocol (issue 5): random sequences of start, start again,
 * stop, kill -9, remove the pidfile, start over a stale pidfile and two concurrent starts (two
 * CLI processes racing, or two spawnDaemon() calls under Promise.all), against the real
 * daemonizer. The model is one boolean and a pid.
 * After every command: never two live daemons for the pidfile (found by their environment tag,
 * not through the pidfile), the pidfile names the live one and is locked, no temporary file
 * is left, and a refused start said why (EPIDFILE_LOCKED, with the holder's pid).
 *
 * Removing the pidfile of a RUNNING daemon is left out on purpose: the lock lives on the inode,
 * so after an unlink a new start cannot see the running daemon (every flock pidfile shares this;
 * docs say not to delete a live daemon's pidfile).
 */

const FILE = 'spec/properties/pidfile-model.test.ts';
const RUNS = 10;
const TIMEOUT_MS = propertyTimeout(RUNS, 4000);
const run = promisify(execFile);

interface Model {
  running: boolean;
  pid: number | null;
}

interface Real {
  s: Scene;
  pidfile: string;
}

async function waitDead(pid: number): Promise<void> {
  await expect.poll(() => isRunning(pid), { timeout: 10_000, interval: 5 }).toBe(false);
}

/** The invariants, checked after every command. */
function invariants(m: Model, r: Real): void {
  const live = tagged(r.s.tag);
  expect(live.length, `live daemons for one pidfile: ${live.join(', ')}`).toBeLessThanOrEqual(1);
  const leftovers = readdirSync(r.s.dir).filter((name) => name !== 'daemon.pid');
  expect(leftovers, 'temporary files next to the pidfile').toEqual([]);
  if (m.running) {
    expect(live).toEqual([m.pid]);
    expect(readFileSync(r.pidfile, 'latin1')).toBe(`${m.pid}\n`);
    expect(readPidfile(r.pidfile).locked).toBe(true);
  } else {
    expect(live).toEqual([]);
  }
}

function expectLocked(error: unknown, holder: number | null): void {
  expect(error).toBeInstanceOf(DaemonspecError);
  const e = error as DaemonspecError;
  expect(e.code, e.message).toBe('EPIDFILE_LOCKED');
  if (holder !== null) {
    expect(e.pid).toBe(holder);
    expect(e.message).toContain(`held by PID ${holder}`);
  }
}

async function start(r: Real): Promise<number> {
  const started = await spawnDaemon('/bin/sleep', ['300'], { pidfile: r.pidfile, env: r.s.env });
  return started.pid;
}

class Start implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>): boolean => !m.running;
  async run(m: Model, r: Real): Promise<void> {
    m.pid = await start(r);
    m.running = true;
    invariants(m, r);
  }
  toString = (): string => 'start';
}

class StartAgain implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>): boolean => m.running;
  async run(m: Model, r: Real): Promise<void> {
    const error = await start(r).then(
      () => null,
      (e: unknown) => e,
    );
    expectLocked(error, m.pid);
    invariants(m, r);
  }
  toString = (): string => 'start again';
}

class Stop implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const result = await stopDaemon({ pidfile: r.pidfile, timeout: 5000 });
    expect(result.stopped).toBe(m.running);
    if (m.running) expect(result.pid).toBe(m.pid);
    m.running = false;
    m.pid = null;
    expect(readPidfile(r.pidfile).exists, 'pidfile after stop').toBe(false);
    invariants(m, r);
  }
  toString = (): string => 'stop';
}

class Kill9 implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>): boolean => m.running;
  async run(m: Model, r: Real): Promise<void> {
    kill(m.pid!, 9);
    await waitDead(m.pid!);
    m.running = false;
    m.pid = null;
    // The pidfile stays behind, unlocked: stale.
    expect(readPidfile(r.pidfile)).toMatchObject({ exists: true, locked: false, alive: false });
    invariants(m, r);
  }
  toString = (): string => 'kill -9';
}

class RemovePidfile implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>): boolean => !m.running;
  async run(m: Model, r: Real): Promise<void> {
    try {
      unlinkSync(r.pidfile);
    } catch {
      // none there
    }
    invariants(m, r);
  }
  toString = (): string => 'rm pidfile';
}

type Stale = 'dead pid' | 'NULs a crash left' | 'empty' | 'live unrelated pid';

class StartOverStale implements fc.AsyncCommand<Model, Real> {
  constructor(readonly stale: Stale) {}
  check = (m: Readonly<Model>): boolean => !m.running;
  async run(m: Model, r: Real): Promise<void> {
    // A process that is not the daemon: dead (a reaped /bin/true) or alive (pid reuse).
    const env = { ...r.s.env, [TAG]: `${r.s.tag}-bystander` };
    const other = spawn({ path: this.stale === 'dead pid' ? '/bin/true' : '/bin/sleep', argv: ['x', '300'], env });
    if (this.stale === 'dead pid') await reap(other);
    try {
      const content = { 'dead pid': `${other}\n`, 'NULs a crash left': '\u0000\u0000\u0000\u0000', empty: '', 'live unrelated pid': `${other}\n` }[this.stale];
      writeFileSync(r.pidfile, content);
      m.pid = await start(r);
      m.running = true;
      if (this.stale === 'live unrelated pid') expect(isRunning(other), 'the unrelated process named by the stale pidfile').toBe(true);
      invariants(m, r);
    } finally {
      if (this.stale !== 'dead pid') {
        kill(other, 9);
        await reap(other);
      }
    }
  }
  toString = (): string => `start over a stale pidfile (${this.stale})`;
}

/** Another file at the pidfile's path (a mistyped path): the start is refused and the file left as it is. */
class StartOverOtherFile implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>): boolean => !m.running;
  async run(m: Model, r: Real): Promise<void> {
    writeFileSync(r.pidfile, 'PORT=80\n');
    const error = await start(r).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DaemonspecError);
    expect((error as DaemonspecError).code).toBe('EPIDFILE');
    expect(readFileSync(r.pidfile, 'utf8')).toBe('PORT=80\n');
    unlinkSync(r.pidfile);
    invariants(m, r);
  }
  toString = (): string => 'start over another file';
}

/** Two `daemonspec run` processes at once: exactly one wins, the other names the holder. */
class ConcurrentStarts implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const one = (): Promise<{ code: number; stdout: string; stderr: string }> =>
      run(process.execPath, [CLI, 'run', '--print-pid', '--pidfile', r.pidfile, '--', '/bin/sleep', '300'], { env: r.s.env }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    const results = await Promise.all([one(), one()]);
    const winners = results.filter((x) => x.code === 0);
    const losers = results.filter((x) => x.code !== 0);
    if (m.running) {
      expect(winners, JSON.stringify(results)).toEqual([]);
      for (const l of losers) expect(l.stderr).toContain(`held by PID ${m.pid}`);
    } else {
      expect(winners.length, JSON.stringify(results)).toBe(1);
      m.pid = Number(winners[0]!.stdout.trim());
      m.running = true;
      expect(losers[0]!.code).toBe(2); // refused before anything started (issue 16.3)
      // The loser saw the winner's pidfile, or its slot before the pid was known.
      expect(losers[0]!.stderr).toMatch(new RegExp(`held by (PID ${m.pid}|a daemon that is starting)`));
    }
    invariants(m, r);
  }
  toString = (): string => 'two starts at once';
}

/** Two spawnDaemon() calls at once in this process (Promise.all): one wins, the other names the holder. */
class ConcurrentStartsInProcess implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const settle = (p: Promise<number>): Promise<{ pid: number } | { error: unknown }> =>
      p.then(
        (pid) => ({ pid }),
        (error: unknown) => ({ error }),
      );
    const results = await Promise.all([settle(start(r)), settle(start(r))]);
    const winners = results.flatMap((x) => ('pid' in x ? [x.pid] : []));
    const errors = results.flatMap((x) => ('error' in x ? [x.error] : []));
    if (m.running) {
      expect(winners).toEqual([]);
      for (const e of errors) expectLocked(e, m.pid);
    } else {
      expect(winners.length, String(errors)).toBe(1);
      m.pid = winners[0]!;
      m.running = true;
      expectLocked(errors[0], null);
      const e = errors[0] as DaemonspecError;
      if (e.pid !== undefined) expect(e.pid).toBe(m.pid);
    }
    invariants(m, r);
  }
  toString = (): string => 'two spawnDaemon() at once';
}

const commands = fc.commands(
  [
    fc.constant(new Start()),
    fc.constant(new StartAgain()),
    fc.constant(new Stop()),
    fc.constant(new Kill9()),
    fc.constant(new RemovePidfile()),
    fc.constantFrom<Stale>('dead pid', 'NULs a crash left', 'empty', 'live unrelated pid').map((stale) => new StartOverStale(stale)),
    fc.constant(new StartOverOtherFile()),
    fc.constant(new ConcurrentStarts()),
    fc.constant(new ConcurrentStartsInProcess()),
  ],
  { maxCommands: 8 },
);

describe('model: the pidfile protocol under start/stop/kill/remove/stale/concurrent sequences', () => {
  it(
    'never two daemons, the pidfile names the live one, refusals say why, nothing left after',
    async () => {
      const s = scene();
      await assertProperty(
        fc.asyncProperty(commands, async (cmds) => {
          const real: Real = { s, pidfile: s.path('daemon.pid') };
          try {
            await fc.asyncModelRun(() => ({ model: { running: false, pid: null }, real }), cmds);
          } finally {
            // No stray process after a sequence, whatever happened in it.
            for (const pid of tagged(s.tag)) process.kill(pid, 'SIGKILL');
            await expect.poll(() => tagged(s.tag), { timeout: 10_000, interval: 5 }).toEqual([]);
            for (const name of readdirSync(s.dir)) unlinkSync(s.path(name));
          }
        }),
        { runs: RUNS, timeoutMs: TIMEOUT_MS, file: FILE },
      );
    },
    TIMEOUT_MS,
  );
});
