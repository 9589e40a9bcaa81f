import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { daemonStatus, readPidfile, spawnDaemon, stopDaemon } from '../../src/daemon/index.js';
import { startInProgress } from '../../src/daemon/pidfile.js';
import { CLI, FIXTURES, scene, tagged, type Scene } from '../daemon/support.js';
import { assertProperty, propertyTimeout } from '../support/property.js';

/*
 * Issue 13 point 1: the starter (`daemonspec run`, or the original of a script calling
 * daemonize()) is SIGKILLed at an instant fast-check chooses across the whole start, scaled from
 * a measured start of the same kind. The instant is the input, not a synchronisation: after the
 * kill the test waits (bounded polling) until the chain has settled into one of the two allowed
 * outcomes, and fails naming what it saw if it never does:
 *
 *   - nothing of the chain is left (no sh, no daemon), and status does not say it runs; or
 *   - exactly one process is left, the daemon itself (not a sh of the chain), the pidfile holds
 *     its pid and status says it runs; no temporary file of the start is open.
 */

const FILE = 'spec/faults/killed-start.test.ts';
const RUNS = 25;
const TIMEOUT_MS = propertyTimeout(RUNS, 2500);
const SETTLE_MS = 4000;

/** A notify target that takes a while to be ready (python starts), and tolerates a starter that is gone. */
const PY_NOTIFY = [
  'import os, socket',
  "a = os.environ['NOTIFY_SOCKET']",
  "a = '\\0' + a[1:] if a.startswith('@') else a",
  's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
  'try:',
  "    s.sendto(b'READY=1', a)",
  'except OSError:',
  '    pass',
  "os.execv('/bin/sleep', ['sleep', '300'])",
].join('\n');

type Kind = 'run' | 'run --notify' | 'daemonize()';

/** The starter's argv for a pidfile in `dir`. */
function starterArgv(kind: Kind, dir: string): string[] {
  const pidfile = join(dir, 'd.pid');
  switch (kind) {
    case 'run':
      return [CLI, 'run', '--pidfile', pidfile, '--', '/bin/sleep', '300'];
    case 'run --notify':
      return [CLI, 'run', '--notify', '--pidfile', pidfile, '--', '/usr/bin/python3', '-c', PY_NOTIFY];
    case 'daemonize()':
      return [join(FIXTURES, 'auto-ready.mjs'), pidfile, '/dev/null', '/dev/null'];
  }
}

/** Whether a live process is the daemon of `kind` (and not a sh of the chain, nor a starter). */
function isDaemon(kind: Kind, cmdline: string[]): boolean {
  if (kind === 'daemonize()') return cmdline[0] === process.execPath && cmdline[1]?.endsWith('auto-ready.mjs') === true;
  return cmdline[0]?.endsWith('sleep') === true && cmdline[1] === '300';
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').slice(0, -1);
  } catch {
    return [];
  }
}

function openTempFiles(pid: number): string[] {
  const out: string[] = [];
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.endsWith('.tmp') || target.includes('.tmp ')) out.push(`${fd}->${target}`);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    // gone
  }
  return out;
}

/** What the chain left: live tagged processes and the pidfile's bytes. */
function observe(s: Scene, dir: string): string {
  const live = tagged(s.tag).map((pid) => `${pid}: ${cmdline(pid).join(' ').slice(0, 80)}`);
  let text: string;
  try {
    text = JSON.stringify(readFileSync(join(dir, 'd.pid'), 'latin1'));
  } catch {
    text = 'absent';
  }
  return `live [${live.join(' | ')}], pidfile ${text}, files ${readdirSync(dir).join(' ')}`;
}

/** One of the two allowed outcomes holds now (see the header). */
function expectSettled(kind: Kind, s: Scene, dir: string): void {
  const seen = observe(s, dir);
  const pidfile = join(dir, 'd.pid');
  const live = tagged(s.tag);
  if (live.length === 0) {
    expect(startInProgress(pidfile), `a start still looks in progress: ${seen}`).toBe(false);
    expect(daemonStatus({ pidfile }).code, seen).not.toBe(0);
    return;
  }
  expect(live.length, `more than the daemon left: ${seen}`).toBe(1);
  const pid = live[0]!;
  expect(isDaemon(kind, cmdline(pid)), `a process of the chain left: ${seen}`).toBe(true);
  expect(readFileSync(pidfile, 'latin1'), `the pidfile does not name the daemon: ${seen}`).toBe(`${pid}\n`);
  expect(readPidfile(pidfile).locked, seen).toBe(true);
  expect(daemonStatus({ pidfile }), seen).toMatchObject({ code: 0, state: 'running', pid });
  expect(openTempFiles(pid), seen).toEqual([]);
}

/** Runs the starter; kills it with SIGKILL after `killAfterMs` unless it exited first. Resolves with the elapsed ms. */
async function startAndKill(kind: Kind, s: Scene, dir: string, killAfterMs: number | null): Promise<number> {
  const began = performance.now();
  const child = spawn(process.execPath, starterArgv(kind, dir), { env: s.env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  await exited;
  if (timer) clearTimeout(timer);
  return performance.now() - began;
}

/** Kills everything the run left (tagged) and waits until it is gone; removes the run's directory. */
async function cleanRun(s: Scene, dir: string): Promise<void> {
  const pidfile = join(dir, 'd.pid');
  if (daemonStatus({ pidfile }).state === 'running') await stopDaemon({ pidfile, timeout: 5000 });
  for (const pid of tagged(s.tag)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  // Twice in a row: a process in the middle of its execve (the notify target becoming sleep) has no
  // environment to read for a moment, so one empty listing may have missed it.
  await vi.waitFor(
    () => {
      for (const pid of tagged(s.tag)) process.kill(pid, 'SIGKILL');
      expect(tagged(s.tag)).toEqual([]);
      expect(tagged(s.tag)).toEqual([]);
    },
    { timeout: 10_000, interval: 5 },
  );
  rmSync(dir, { recursive: true, force: true });
}

function killedStartProperty(kind: Kind): void {
  it(
    `${kind}: SIGKILL at any instant leaves either nothing of the chain, or the daemon named by its pidfile`,
    async () => {
      const s = scene();
      // A complete start of the same kind first, to scale the kill instants.
      const measure = s.path('measure');
      mkdirSync(measure);
      const startMs = await startAndKill(kind, s, measure, null);
      // `run --notify` returns at READY=1, which the python target sends just before its execv of sleep.
      await vi.waitFor(() => expectSettled(kind, s, measure), { timeout: SETTLE_MS, interval: 5 });
      await cleanRun(s, measure);
      let n = 0;
      const instant = fc.integer({ min: 0, max: Math.ceil(startMs * 1.2) });
      await assertProperty(
        fc.asyncProperty(instant, async (killAfterMs) => {
          const dir = s.path(`run-${n++}`);
          mkdirSync(dir);
          try {
            await startAndKill(kind, s, dir, killAfterMs);
            await vi.waitFor(() => expectSettled(kind, s, dir), { timeout: SETTLE_MS, interval: 5 });
          } finally {
            await cleanRun(s, dir);
          }
        }),
        { runs: RUNS, timeoutMs: TIMEOUT_MS, file: FILE },
      );
    },
    TIMEOUT_MS,
  );
}

describe('a start whose starter is SIGKILLed (issue 13)', () => {
  describe('run', () => killedStartProperty('run'));
  describe('run --notify', () => killedStartProperty('run --notify'));
  describe('daemonize()', () => killedStartProperty('daemonize()'));
});

describe('what a killed start leaves on disk (issue 13)', () => {
  it('the next start removes the unlocked temporary files of dead starts, and leaves a locked one alone', async () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    const dead = s.path('.d.pid.deadbeef.tmp');
    const held = s.path('.d.pid.cafe0000.tmp');
    writeFileSync(pidfile, '');
    writeFileSync(dead, '');
    writeFileSync(held, '');
    const holder = spawn('/usr/bin/flock', ['-n', held, '/bin/sleep', '300'], { env: s.env, stdio: 'ignore' });
    onTestFinished(() => {
      holder.kill('SIGKILL');
    });
    await vi.waitFor(() => expect(tagged(s.tag).some((p) => cmdline(p)[0] === '/bin/sleep')).toBe(true), { timeout: 10_000, interval: 10 });
    const started = await spawnDaemon('/bin/sleep', ['300'], { pidfile, env: s.env });
    expect(readFileSync(pidfile, 'latin1')).toBe(`${started.pid}\n`);
    expect(readdirSync(s.dir).sort()).toEqual(['.d.pid.cafe0000.tmp', 'd.pid']);
    await stopDaemon({ pidfile });
  });
});
