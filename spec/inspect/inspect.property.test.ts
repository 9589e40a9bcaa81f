import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { O } from '../../src/ffi/constants.js';
import { close, fstatInode, kill, pipe, processExists, reap } from './property-support.js';
import { spawn } from '../../src/ffi/spawn.js';
import { inspect } from '../../src/inspect/index.js';
import { assertProperty, propertyTimeout } from '../support/property.js';
import { testDir } from '../support/temp-dir.js';

/*
 * Property: for arbitrary live processes (random extra fds at numbers below 1024, CLOEXEC or not,
 * O_APPEND or not; random blocked and ignored signal sets; random umask), inspect() reports
 * exactly what was set up. Sizes, seeds and the replay line: spec/support/property.ts
 * (PROPERTY_RUNS, FC_SEED, FC_PATH), as every property test.
 */

const RUNS = 15;
const TIMEOUT = propertyTimeout(RUNS, 4000);

// Standard signals that can be blocked and ignored (not SIGKILL 9 / SIGSTOP 19; 32+ are glibc's own).
const SIGNALS = Array.from({ length: 31 }, (_, i) => i + 1).filter((n) => n !== 9 && n !== 19);

// The holder's pipe is at 1023; python's own fds while starting are low and closed again.
const PIPE_AT = 1023;
let nextId = 0;
const sorted = (list: number[]): number[] => [...list].sort((a, b) => a - b);

/** Applies a plan from argv[1]: fds (file or pipe dup, O_APPEND, inheritable or not), ignored signals, umask. */
const HOLDER = `
import json, os, signal, sys, time
plan = json.loads(sys.argv[1])
for f in plan["fds"]:
    if f["kind"] == "pipe":
        src = os.dup(plan["pipe"])
    else:
        src = os.open(plan["file"], os.O_WRONLY | (os.O_APPEND if f["append"] else 0))
    if src == f["fd"]:
        os.set_inheritable(src, not f["cloexec"])
    else:
        os.dup2(src, f["fd"], inheritable=not f["cloexec"])
        os.close(src)
for n in plan["ignored"]:
    signal.signal(n, signal.SIG_IGN)
os.umask(plan["umask"])
os.close(plan["pipe"])
open(plan["ready"] + ".tmp", "w").close()
os.rename(plan["ready"] + ".tmp", plan["ready"])  # appears only once closed
time.sleep(600)
`;

const extraFd = fc.record({
  fd: fc.integer({ min: 3, max: 1022 }),
  kind: fc.constantFrom('file' as const, 'pipe' as const),
  cloexec: fc.boolean(),
  append: fc.boolean(),
});

const setUp = fc.record({
  fds: fc.uniqueArray(extraFd, { selector: (f) => f.fd, maxLength: 20 }),
  blocked: fc.subarray(SIGNALS),
  ignored: fc.subarray(SIGNALS),
  umask: fc.integer({ min: 0, max: 0o777 }),
});

describe.runIf(process.platform === 'linux')('inspect() agrees with arbitrary set-ups', () => {
  test('fds, CLOEXEC, O_APPEND, identity, blocked and ignored signals, umask', async () => {
    const dir = testDir('dspec-prop-');
    const file = join(dir, 'target');
    writeFileSync(file, '');
    const fileStat = statSync(file);
    const [readEnd, writeEnd] = pipe();
    onTestFinished(() => {
      close(readEnd);
      close(writeEnd);
    });
    const pipeInode = fstatInode(writeEnd);
    const live = new Set<number>();
    onTestFinished(async () => {
      for (const pid of live) if (processExists(pid)) kill(pid, 9);
      await Promise.all([...live].map((pid) => reap(pid).catch(() => undefined)));
    });

    const property = fc.asyncProperty(setUp, async ({ fds, blocked, ignored, umask }) => {
      // A python3 holder applies the set-up itself and stays alive without exec, so fds it marks
      // FD_CLOEXEC are still there to be seen (posix_spawn's own open actions cannot do that:
      // glibc dup2()s the opened fd onto the target, which clears O_CLOEXEC).
      const ready = join(dir, `ready-${nextId++}`);
      const plan = JSON.stringify({ fds, ignored, umask, file, ready, pipe: PIPE_AT });
      const pid = spawn({
        path: '/usr/bin/python3',
        argv: ['python3', '-c', HOLDER, plan],
        env: process.env,
        fileActions: [
          { op: 'open', fd: 0, path: '/dev/null', flags: O.RDONLY },
          { op: 'open', fd: 1, path: '/dev/null', flags: O.WRONLY },
          { op: 'open', fd: 2, path: '/dev/null', flags: O.WRONLY },
          { op: 'dup2', from: writeEnd, to: PIPE_AT },
        ],
        closeOtherFds: true,
        blockedSignals: blocked,
        defaultSignals: 'all',
      });
      live.add(pid);
      try {
        await vi.waitFor(() => expect(existsSync(ready), `holder ${pid} ready`).toBe(true), { timeout: 10_000, interval: 5 });
        const s = inspect(pid);
        expect(s.umask).toBe(umask);
        expect(s.signals.blocked).toEqual(sorted(blocked));
        // Python itself ignores SIGPIPE and SIGXFSZ and catches SIGINT, unless told otherwise.
        expect(s.signals.ignored).toEqual(sorted([...new Set([...ignored, 13, 25])]));
        expect(s.signals.caught).toEqual(ignored.includes(2) ? [] : [2]);
        expect(s.fds!.map((f) => f.fd), JSON.stringify(s.fds)).toEqual(sorted([0, 1, 2, ...fds.map((f) => f.fd)]));
        for (const f of fds) {
          const seen = s.fds!.find((x) => x.fd === f.fd)!;
          expect(seen.cloexec, `fd ${f.fd}`).toBe(f.cloexec);
          expect(seen.access).toBe('w');
          if (f.kind === 'pipe') {
            expect(seen).toMatchObject({ kind: 'pipe', inode: pipeInode, append: false });
          } else {
            expect(seen).toMatchObject({ kind: 'file', target: file, device: fileStat.dev, inode: fileStat.ino, append: f.append });
          }
        }
      } finally {
        kill(pid, 9);
        await reap(pid);
        live.delete(pid);
      }
    });

    await assertProperty(property, { runs: RUNS, timeoutMs: TIMEOUT, file: 'spec/inspect/inspect.property.test.ts' });
  }, TIMEOUT);
});
