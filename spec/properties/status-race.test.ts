import { closeSync, mkdirSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyPidfile, type PidfileState } from '../../src/daemon/control.js';
import { readPidfile, REMOVAL_LOCK } from '../../src/daemon/pidfile.js';
import { isRunning } from '../../src/inspect/index.js';
import { LOCK_EX, LOCK_NB, O } from '../../src/ffi/constants.js';
import { flock, kill, reap } from '../../src/ffi/libc.js';
import { spawn } from '../../src/ffi/spawn.js';
import { scene } from '../daemon/support.js';
import { assertProperty, propertyTimeout } from '../support/property.js';

/*
 * Issue 13 point 6: daemonStatus() never reports a state that no moment of the real sequence had.
 *
 * The start and stop protocol of src/daemon/pidfile.ts runs here step by step, syscall by syscall
 * as claimPidfile(), commit(), abort() and removeStalePidfile() make them, on real files, with
 * real flock() locks (the test's own open file descriptions conflict with the reader's as another
 * process's would) and a real daemon process (/bin/sleep) that holds the committed pidfile's lock
 * and releases it by dying. A status read runs in the middle: readPidfile() calls back between
 * its probes, and fast-check chooses when the read begins and how many protocol steps run at
 * each of those points. The model is a handful of facts (which file is at the path, what it
 * holds, which locks are held, whether the daemon lives), and the state of a moment is computed
 * from them. The reported state must be the state of some moment between the read's start and
 * its end.
 *
 * A change to the protocol's order of syscalls must be mirrored in `protocol()` below.
 */

const FILE = 'spec/properties/status-race.test.ts';
const RUNS = 300;
const TIMEOUT_MS = propertyTimeout(RUNS, 50, 60_000);

type Inode = 'old' | 'slot' | 'temp';
type Initial = 'absent' | 'stale' | 'stale-empty';
type Ending = 'stop' | 'crash' | 'abort-after-lock' | 'abort-after-spawn' | 'abort-after-write';

/** The facts of one moment. */
interface Facts {
  atPath: Inode | null;
  content: Record<Inode, number | null>;
  /** Exclusive locks: the start's slot lock, the temporary file's (the start's, then the daemon's). */
  locked: Record<Inode, boolean>;
  /** The temporary file exists under its temporary name and is locked: a start is in progress. */
  tempLocked: boolean;
  daemonAlive: boolean;
  daemonPid: number | null;
}

/** The state of a moment, as status should report it. */
function stateOf(f: Facts): PidfileState {
  if (f.atPath === null) return 'absent';
  const pid = f.content[f.atPath];
  const alive = pid !== null && pid === f.daemonPid && f.daemonAlive;
  if (alive) return f.locked[f.atPath] ? 'running' : 'unlocked';
  if (f.tempLocked) return 'starting';
  return f.locked[f.atPath] ? 'orphaned-lock' : 'stale';
}

interface World {
  dir: string;
  path: string;
  temp: string;
  fdTemp: number;
  fdSlot: number;
  fdRemoval: number;
  daemon: number | null;
  facts: Facts;
}

function waitDead(pid: number): void {
  kill(pid, 9);
  const until = Date.now() + 10_000;
  // The lock goes with the process's files, before it is a zombie: poll until it is one.
  while (isRunning(pid)) if (Date.now() > until) throw new Error(`PID ${pid} survived SIGKILL for 10 s`);
}

interface Step {
  name: string;
  run(w: World): void;
}

const step = (name: string, run: (w: World) => void): Step => ({ name, run });

/** The steps of one start (and its ending), in the order the real code makes them. */
function protocol(initial: Initial, ending: Ending): Step[] {
  const steps: Step[] = [
    // claimPidfile(): the temporary file first, created and then locked.
    step('create temp', (w) => {
      w.fdTemp = openSync(w.temp, O.RDWR | O.CREAT | O.EXCL | O.NOFOLLOW, 0o644);
    }),
    step('lock temp', (w) => {
      expect(flock(w.fdTemp, LOCK_EX | LOCK_NB)).toBe(true);
      w.facts.tempLocked = true;
      w.facts.locked.temp = true;
    }),
    // lockSlot(): whatever is at the path (created empty when nothing is), then its lock.
    step('open slot', (w) => {
      if (initial === 'absent') {
        w.fdSlot = openSync(w.path, O.RDWR | O.CREAT | O.EXCL | O.NOFOLLOW, 0o644);
        w.facts.atPath = 'slot';
      } else {
        w.fdSlot = openSync(w.path, O.RDWR | O.NOFOLLOW);
      }
    }),
    step('lock slot', (w) => {
      expect(flock(w.fdSlot, LOCK_EX | LOCK_NB)).toBe(true);
      w.facts.locked[slotInode(initial)] = true;
    }),
  ];
  if (ending === 'abort-after-lock') return [...steps, ...abort(initial)];
  steps.push(
    // launch(): the chain starts; the inner sh (the daemon-to-be: same pid) holds the temp's lock fd.
    step('spawn', (w) => {
      w.daemon = spawn({
        path: '/bin/sleep',
        argv: ['/bin/sleep', '300'],
        env: {},
        fileActions: [
          { op: 'open', fd: 0, path: '/dev/null', flags: 0 },
          { op: 'open', fd: 1, path: '/dev/null', flags: 1 },
          { op: 'open', fd: 2, path: '/dev/null', flags: 1 },
          { op: 'dup2', from: w.fdTemp, to: 3 },
        ],
        closeOtherFds: true,
      });
      w.facts.daemonPid = w.daemon;
      w.facts.daemonAlive = true;
    }),
  );
  if (ending === 'abort-after-spawn') return [...steps, killChain(), ...abort(initial)];
  // commit(): the pid into the temporary file, renamed over the path, then the slot let go.
  steps.push(
    step('write pid', (w) => {
      writeSync(w.fdTemp, `${w.daemon}\n`, 0, 'latin1');
      w.facts.content.temp = w.daemon;
    }),
  );
  if (ending === 'abort-after-write') return [...steps, killChain(), ...abort(initial)];
  steps.push(
    step('rename', (w) => {
      renameSync(w.temp, w.path);
      w.facts.atPath = 'temp';
      w.facts.tempLocked = false;
    }),
    step('release slot', (w) => {
      closeSync(w.fdSlot);
      w.fdSlot = -1;
      w.facts.locked[slotInode(initial)] = false;
    }),
    // The original lets go of the daemon: its copy of the lock fd is closed; the daemon's stays.
    step('release original', (w) => {
      closeSync(w.fdTemp);
      w.fdTemp = -1;
    }),
    step('daemon dies', (w) => {
      waitDead(w.daemon!);
      w.facts.daemonAlive = false;
      w.facts.locked.temp = false;
    }),
  );
  if (ending === 'crash') return steps;
  // removeStalePidfile() after stop's signal: open, lock, unlink if still the same file, close.
  steps.push(
    step('open for removal', (w) => {
      w.fdRemoval = openSync(w.path, O.RDONLY | O.NOFOLLOW | O.NONBLOCK);
    }),
    step('removal lock', (w) => {
      expect(flock(w.fdRemoval, REMOVAL_LOCK | LOCK_NB)).toBe(true);
    }),
    step('unlink', (w) => {
      unlinkSync(w.path);
      w.facts.atPath = null;
    }),
    step('close removal', (w) => {
      closeSync(w.fdRemoval);
      w.fdRemoval = -1;
    }),
  );
  return steps;
}

function slotInode(initial: Initial): Inode {
  return initial === 'absent' ? 'slot' : 'old';
}

/** launch()'s fail(): the chain is killed first (the temp's lock stays, the original holds it too). */
function killChain(): Step {
  return step('kill chain', (w) => {
    waitDead(w.daemon!);
    w.facts.daemonAlive = false;
  });
}

/** claim.abort() before a commit: the slot off the path and let go, then the temporary file. */
function abort(initial: Initial): Step[] {
  return [
    step('abort: unlink slot', (w) => {
      unlinkSync(w.path);
      w.facts.atPath = null;
    }),
    step('abort: release slot', (w) => {
      closeSync(w.fdSlot);
      w.fdSlot = -1;
      w.facts.locked[slotInode(initial)] = false;
    }),
    step('abort: unlink temp', (w) => {
      unlinkSync(w.temp);
      w.facts.tempLocked = false;
    }),
    step('abort: close temp', (w) => {
      closeSync(w.fdTemp);
      w.fdTemp = -1;
      w.facts.locked.temp = false;
    }),
  ];
}

/** A pid that is certainly dead (a child spawned, killed and reaped). */
async function deadPid(): Promise<number> {
  const pid = spawn({ path: '/bin/true', argv: ['/bin/true'], env: {} });
  await reap(pid);
  return pid;
}

function initialWorld(dir: string, initial: Initial, oldPid: number): World {
  const path = join(dir, 'd.pid');
  const facts: Facts = {
    atPath: null,
    content: { old: null, slot: null, temp: null },
    locked: { old: false, slot: false, temp: false },
    tempLocked: false,
    daemonAlive: false,
    daemonPid: null,
  };
  if (initial !== 'absent') {
    const fd = openSync(path, 'w');
    if (initial === 'stale') writeSync(fd, `${oldPid}\n`);
    closeSync(fd);
    facts.atPath = 'old';
    facts.content.old = initial === 'stale' ? oldPid : null;
  }
  return { dir, path, temp: join(dir, '.d.pid.0123abcd.tmp'), fdTemp: -1, fdSlot: -1, fdRemoval: -1, daemon: null, facts };
}

describe('status during a concurrent start and stop (issue 13)', () => {
  it(
    'the state status reports is the state of some moment of the read',
    async () => {
      const s = scene();
      const oldPid = await deadPid();
      let n = 0;
      const scenario = fc.record({
        initial: fc.constantFrom<Initial>('absent', 'stale', 'stale-empty'),
        ending: fc.constantFrom<Ending>('stop', 'crash', 'abort-after-lock', 'abort-after-spawn', 'abort-after-write'),
        begin: fc.nat({ max: 20 }),
        gaps: fc.array(fc.nat({ max: 3 }), { minLength: 12, maxLength: 12 }),
      });
      await assertProperty(
        fc.asyncProperty(scenario, async ({ initial, ending, begin, gaps }) => {
          const dir = s.path(`run-${n++}`);
          mkdirSync(dir);
          const w = initialWorld(dir, initial, oldPid);
          const steps = protocol(initial, ending);
          let done = 0;
          const states: PidfileState[] = [stateOf(w.facts)];
          const advance = (count: number): void => {
            for (let i = 0; i < count && done < steps.length; i++, done++) {
              steps[done]!.run(w);
              states.push(stateOf(w.facts));
            }
          };
          try {
            advance(Math.min(begin, steps.length));
            const first = done;
            let point = 0;
            const reported = classifyPidfile(readPidfile(w.path, () => advance(gaps[point++ % gaps.length]!))).state;
            const moments = states.slice(first, done + 1);
            const trace = steps.map((st, i) => `${i >= first && i < done ? '*' : ' '}${st.name}${i < done ? ` -> ${states[i + 1]}` : ''}`).join('\n');
            expect(moments, `reported ${reported}; steps (* during the read):\n${trace}`).toContain(reported);
            advance(steps.length);
          } finally {
            for (const fd of [w.fdTemp, w.fdSlot, w.fdRemoval]) if (fd >= 0) closeSync(fd);
            if (w.daemon !== null) {
              kill(w.daemon, 9);
              await reap(w.daemon);
            }
            rmSync(dir, { recursive: true, force: true });
          }
        }),
        { runs: RUNS, timeoutMs: TIMEOUT_MS, file: FILE },
      );
    },
    TIMEOUT_MS,
  );
});
