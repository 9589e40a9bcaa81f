import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPidfile } from '../../src/daemon/index.js';
import { getsid } from '../../src/ffi/libc.js';
import { inspect } from '../../src/inspect/index.js';
import { ancestors, CLI, isRunning, pidFrom, scene, type Scene, TAG, tagged } from '../daemon/support.js';
import { assertProperty, propertyTimeout } from '../support/property.js';
import { callerPlan, runCaller, type CallerPlan, type CallerRun } from './support/caller.js';

/*
 * Property (issue 5): for arbitrary daemon options × arbitrary caller environments, the caller
 * exits 0 and the daemon satisfies every sysv property with the requested values, read from
 * /proc with inspect(). Real processes: each run starts a caller (the CLI, or a Node script
 * calling spawnDaemon()) that daemonizes /bin/sleep, then the daemon is killed.
 * Replay a failure with the command printed under the report (spec/properties/README.md).
 */

const FILE = 'spec/properties/daemonizer.test.ts';
const RUNS = 8;
const TIMEOUT_MS = propertyTimeout(RUNS, 3000);
const CALLER_SCRIPT = join(import.meta.dirname, 'support/caller.mjs');
const DAEMONIZE_SCRIPT = join(import.meta.dirname, 'support/daemonize-caller.mjs');
const SIGPIPE = 13;
const SIGXFSZ = 25;
const TEST_RUN = 'DAEMONSPEC_TEST_RUN';
/** Variables the caller has and the daemon options may remove. */
const VICTIMS = { P_VICTIM_A: 'a', P_VICTIM_B: 'b b' } as const;
const KNOWN_LINE = 'a line written before the start\n';

const pathChar = fc.constantFrom('a', 'b', 'Z', '0', ' ', '-', '_', '.', 'é', 'ß', '日', '本', '🙂', '\t', "'", '"', '$');
// ≤ 61 characters of ≤ 4 bytes: under NAME_MAX; ≤ 12 levels keep the whole path under PATH_MAX.
const segment = fc.string({ unit: pathChar, minLength: 1, maxLength: 60 }).map((s) => `d${s}`);
const envValue = fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/\0/g, ''));

type LogChoice = 'none' | 'new' | 'existing';
interface OptionsPlan {
  /** The CLI, spawnDaemon() in a Node script, or a Node script that daemonize()s itself. */
  caller: 'cli' | 'library' | 'daemonize';
  umask: number | null;
  cwd: { segments: string[]; relative: boolean } | null;
  stdout: LogChoice;
  stderr: LogChoice | 'same';
  pidfile: boolean;
  /** Indices into the caller's leaked files: those fds are kept. */
  keep: number[];
  set: Record<string, string>;
  clear: (keyof typeof VICTIMS)[];
  clearEnv: boolean;
}

const optionsPlan: fc.Arbitrary<OptionsPlan> = fc.record({
  caller: fc.constantFrom('cli' as const, 'library' as const, 'daemonize' as const),
  umask: fc.option(fc.integer({ min: 0, max: 0o777 }), { nil: null }),
  cwd: fc.option(fc.record({ segments: fc.array(segment, { minLength: 1, maxLength: 12 }), relative: fc.boolean() }), { nil: null }),
  stdout: fc.constantFrom<LogChoice>('none', 'new', 'existing'),
  stderr: fc.constantFrom<LogChoice | 'same'>('none', 'new', 'existing', 'same'),
  pidfile: fc.boolean(),
  keep: fc.uniqueArray(fc.nat({ max: 63 }), { maxLength: 4 }),
  set: fc.dictionary(fc.stringMatching(/^P_[A-Z0-9]{1,6}$/), envValue, { maxKeys: 4 }),
  clear: fc.subarray(Object.keys(VICTIMS) as (keyof typeof VICTIMS)[]),
  clearEnv: fc.boolean(),
});

interface Built {
  argv: string[];
  /** The daemon is the re-executed Node script (daemonize()), not /bin/sleep. */
  node: boolean;
  umask: number;
  cwd: string;
  stdout: string;
  stderr: string;
  pidfile: string | null;
  keepFds: number[];
  /** Variables that must be in the daemon's environment with this value, and those that must not. */
  envHas: Record<string, string>;
  envLacks: string[];
  /** With clearEnv, nothing else may be there. */
  envOnly: boolean;
  existingLogs: string[];
  newLogs: string[];
}

/** The caller's argv and the values the daemon must show, from the generated plans. */
function build(s: Scene, run: string, o: OptionsPlan, c: CallerPlan, callerCwd: string): Built {
  const dir = s.path(run);
  mkdirSync(dir);
  const log = (choice: LogChoice, name: string): string | undefined => {
    if (choice === 'none') return undefined;
    const path = join(dir, name);
    if (choice === 'existing') writeFileSync(path, KNOWN_LINE);
    return path;
  };
  const stdout = log(o.stdout, 'out.log');
  const stderr = o.stderr === 'same' ? stdout : log(o.stderr, 'err.log');
  let cwd = '/';
  let cwdOption: string | undefined;
  if (o.cwd) {
    cwd = join(dir, ...o.cwd.segments);
    mkdirSync(cwd, { recursive: true });
    cwdOption = o.cwd.relative ? relative(callerCwd, cwd) || '.' : cwd;
  }
  const pidfile = o.pidfile ? join(dir, 'daemon.pid') : null;
  const keepable = c.leaked.filter((l) => l.kind === 'file');
  const keepFds = [...new Set(o.keep.filter((i) => i < keepable.length).map((i) => keepable[i]!.fd))];
  const library = o.caller !== 'cli';
  const clearEnv = library && o.clearEnv;
  const clear = library ? o.clear : [];
  const env: Record<string, string | null> = { ...o.set };
  for (const name of clear) if (!(name in o.set)) env[name] = null;
  if (clearEnv) Object.assign(env, { [TEST_RUN]: process.env[TEST_RUN]!, [TAG]: s.tag });
  const envHas: Record<string, string> = { [TEST_RUN]: process.env[TEST_RUN]!, [TAG]: s.tag, ...o.set };
  if (!clearEnv) for (const [k, v] of Object.entries(VICTIMS)) if (!clear.includes(k as never) && !(k in o.set)) envHas[k] = v;
  // A re-executed Node daemon deletes the marker from process.env; /proc/PID/environ keeps the exec-time block.
  const envLacks = [...clear.filter((k) => !(k in o.set)), ...(o.caller === 'daemonize' ? [] : ['DAEMONSPEC_DAEMON']), ...(clearEnv ? Object.keys(VICTIMS).filter((k) => !(k in o.set)) : [])];

  let argv: string[];
  if (library) {
    const options = {
      ...(o.umask !== null ? { umask: o.umask } : {}),
      ...(cwdOption !== undefined ? { cwd: cwdOption } : {}),
      ...(stdout ? { stdout } : {}),
      ...(stderr ? { stderr } : {}),
      ...(pidfile ? { pidfile } : {}),
      ...(keepFds.length ? { keepFds } : {}),
      env,
      clearEnv,
    };
    const cloexec = c.leaked.filter((l) => l.cloexec).map((l) => l.fd);
    argv =
      o.caller === 'daemonize'
        ? [process.execPath, DAEMONIZE_SCRIPT, JSON.stringify({ cloexec, options })]
        : [process.execPath, CALLER_SCRIPT, JSON.stringify({ cloexec, command: '/bin/sleep', args: ['300'], options })];
  } else {
    argv = [
      process.execPath,
      CLI,
      'run',
      ...(o.umask !== null ? ['--umask', o.umask.toString(8).padStart(3, '0')] : []),
      ...(cwdOption !== undefined ? ['--cwd', cwdOption] : []),
      ...(stdout ? ['--stdout', stdout] : []),
      ...(stderr ? ['--stderr', stderr] : []),
      ...(pidfile ? ['--pidfile', pidfile] : []),
      ...keepFds.flatMap((fd) => ['--keep-fd', String(fd)]),
      ...Object.entries(o.set).map(([k, v]) => `--env=${k}=${v}`),
      '--',
      '/bin/sleep',
      '300',
    ];
  }
  const logs = [...new Set([stdout, stderr].filter((p): p is string => p !== undefined))];
  return {
    argv,
    node: o.caller === 'daemonize',
    umask: o.umask ?? 0o022,
    cwd,
    stdout: stdout ?? '/dev/null',
    stderr: stderr ?? '/dev/null',
    pidfile,
    keepFds,
    envHas,
    envLacks,
    envOnly: clearEnv,
    existingLogs: logs.filter((p) => readFileSafe(p) === KNOWN_LINE),
    newLogs: logs.filter((p) => readFileSafe(p) === null),
  };
}

function readFileSafe(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function environ(pid: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const kv of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const eq = kv.indexOf('=');
    if (eq > 0) out.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return out;
}

/** Every sysv property of the daemon, with the requested values. */
function assertDaemon(s: Scene, b: Built, caller: CallerRun): void {
  const expectedCaller = `exit ${caller.exitCode} signal ${caller.signal}\nstdout: ${caller.stdout}\nstderr: ${caller.stderr}`;
  expect(caller.exitCode, expectedCaller).toBe(0);
  const found = tagged(s.tag);
  expect(found, 'exactly one process left: the daemon (no intermediate)').toHaveLength(1);
  const pid = found[0]!;
  const d = inspect(pid);
  expect(d.cmdline).toEqual(b.node ? b.argv : ['/bin/sleep', '300']);
  // session: a new one, not led by the daemon, neither the caller's nor ours; no terminal
  expect(d.sid).not.toBe(d.pid);
  expect(d.sid).not.toBe(caller.ownSession ? caller.pid : getsid(process.pid));
  expect(d.sid).not.toBe(getsid(process.pid));
  expect(d.pgid).not.toBe(caller.pid);
  expect(d.tty).toBeNull();
  expect([1, ...ancestors()]).toContain(d.ppid);
  // umask, cwd
  expect(d.umask?.toString(8)).toBe(b.umask.toString(8));
  expect(d.cwd).toBe(b.cwd);
  // fds: 0 /dev/null, 1 and 2 the logs, then the kept ones and the pidfile lock, nothing else
  const fds = d.fds!;
  const target = (fd: number): string | undefined => fds.find((f) => f.fd === fd)?.target;
  expect(target(0)).toBe('/dev/null');
  expect(target(1)).toBe(b.stdout);
  expect(target(2)).toBe(b.stderr);
  const extra = fds.filter((f) => f.fd > 2 && !b.keepFds.includes(f.fd));
  // Node's own fds (epoll, eventfds, its pipes) come on top for a Node daemon: none names a file.
  const own = (t: string): boolean => b.node && /^(anon_inode:|pipe:)/.test(t);
  expect(extra.map((f) => f.target).filter((t) => !own(t))).toEqual(b.pidfile ? [b.pidfile] : []);
  for (const fd of b.keepFds) {
    const kept = fds.find((f) => f.fd === fd);
    expect(kept, `kept fd ${fd}`).toBeDefined();
    expect([kept!.device, kept!.inode]).toEqual([caller.leakFile.dev, caller.leakFile.ino]);
  }
  for (const f of fds) {
    const leakedFile = f.inode === caller.leakFile.ino && f.device === caller.leakFile.dev;
    const leakedPipe = f.target === `pipe:[${caller.leakPipeInode}]`;
    if (leakedFile || leakedPipe) expect(b.keepFds, `fd ${f.fd} (${f.target}) leaked from the caller`).toContain(f.fd);
  }
  // signals: nothing blocked, nothing ignored but, in a Node daemon, the runtime's own SIGPIPE/SIGXFSZ
  expect(d.signals.blocked).toEqual([]);
  expect(d.signals.ignored).toEqual(b.node ? [SIGPIPE, SIGXFSZ] : []);
  // environment
  const env = environ(pid);
  for (const [k, v] of Object.entries(b.envHas)) expect(env.get(k), k).toBe(v);
  for (const k of b.envLacks) expect(env.has(k), k).toBe(false);
  if (b.envOnly) expect([...env.keys()].filter((k) => !(b.node && k === 'DAEMONSPEC_DAEMON')).sort()).toEqual(Object.keys(b.envHas).sort());
  // pidfile: PID\n, locked by the daemon
  if (b.pidfile) {
    expect(pidFrom(b.pidfile)).toBe(pid);
    expect(readPidfile(b.pidfile).locked).toBe(true);
  }
  // logs: appended to, never truncated; created 0640 whatever the caller's umask
  for (const log of b.existingLogs) expect(readFileSync(log, 'utf8').startsWith(KNOWN_LINE), log).toBe(true);
  for (const log of b.newLogs) expect(statSync(log).mode & 0o777, log).toBe(0o640);
}

async function stopAll(s: Scene): Promise<void> {
  for (const pid of tagged(s.tag)) process.kill(pid, 'SIGKILL');
  await expect.poll(() => tagged(s.tag).filter((pid) => isRunning(pid)), { timeout: 10_000, interval: 10 }).toEqual([]);
}

describe('property: any options × any caller environment give a sysv daemon with the requested values', () => {
  it(
    'the caller exits 0 and the daemon satisfies every sysv property',
    async () => {
      const s = scene();
      let run = 0;
      const callerDirs = [s.path('caller'), s.path('caller with space'), s.path('caller-日本-🙂')];
      for (const dir of callerDirs) mkdirSync(dir);
      await assertProperty(
        fc.asyncProperty(optionsPlan, callerPlan, async (o, c) => {
          const name = `run-${run++}`;
          const callerCwd = callerDirs[c.cwd]!;
          const b = build(s, name, o, c, callerCwd);
          try {
            const caller = await runCaller({
              plan: c,
              argv: b.argv,
              env: { ...s.env, ...VICTIMS },
              cwd: callerCwd,
              leakPath: s.path(`${name}/leaked`),
              outputPrefix: s.path(`${name}/caller`),
            });
            assertDaemon(s, b, caller);
          } finally {
            await stopAll(s);
          }
        }),
        { runs: RUNS, timeoutMs: TIMEOUT_MS, file: FILE },
      );
    },
    TIMEOUT_MS,
  );
});
