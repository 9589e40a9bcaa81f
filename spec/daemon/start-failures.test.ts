import { chmodSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnDaemon, type DaemonOptions } from '../../src/daemon/index.js';
import { DaemonspecError } from '../../src/errors.js';
import { FIXTURES, listDir, scene, tagged, trappedCaller, type Scene } from './support.js';

/**
 * Issue 2 point 1 and "validate before anything is spawned": every bad input gives its error code
 * with a message that says what to do, and nothing is left behind: no process, no pidfile, no
 * temporary file, no truncated log (janus-gateway#408, memcached#125, runc#1154: exit 0 while the
 * start failed).
 */
interface Case {
  name: string;
  code: string;
  message: RegExp;
  command?: string;
  args?: string[];
  options: (s: Scene) => DaemonOptions;
  setup?: (s: Scene) => void;
}

const cases: Case[] = [
  { name: 'missing cwd', code: 'ECWD', message: /does-not-exist.*create it/, options: (s) => ({ cwd: s.path('does-not-exist') }) },
  { name: 'cwd is a file', code: 'ECWD', message: /not a directory/, setup: (s) => writeFileSync(s.path('file'), ''), options: (s) => ({ cwd: s.path('file') }) },
  { name: 'log directory missing', code: 'ELOG', message: /create the directory/, options: (s) => ({ stdout: s.path('no-dir/out.log') }) },
  { name: "the seed's '/dev/null/' trailing slash", code: 'ELOG', message: /ends with a slash/, options: () => ({ stderr: '/dev/null/' }) },
  { name: 'log is a directory', code: 'ELOG', message: /EISDIR/, options: (s) => ({ stderr: s.dir }) },
  { name: 'pidfile directory missing', code: 'EPIDFILE', message: /create .*no-dir/, options: (s) => ({ pidfile: s.path('no-dir/d.pid') }) },
  {
    name: 'symlinked pidfile (Debian #675918)',
    code: 'EPIDFILE',
    message: /symbolic link/,
    setup: (s) => {
      writeFileSync(s.path('target'), 'precious\n');
      symlinkSync(s.path('target'), s.path('daemon.pid'));
    },
    options: (s) => ({ pidfile: s.path('daemon.pid') }),
  },
  { name: 'command not found', code: 'EEXEC', message: /not in PATH/, command: 'no-such-command-daemonspec', options: () => ({}) },
  {
    name: 'command not executable',
    code: 'EEXEC',
    message: /chmod \+x/,
    setup: (s) => {
      writeFileSync(s.path('script.sh'), '#!/bin/sh\nsleep 300\n');
      chmodSync(s.path('script.sh'), 0o644);
    },
    command: 'SCRIPT',
    options: () => ({}),
  },
  {
    name: 'interpreter of the script missing',
    code: 'EEXEC',
    // Refused before the start (resolve-command.ts), no longer failed in the chain.
    message: /script\.sh's #! line names \/no\/such\/interpreter, which does not exist: install it, or fix the line/,
    setup: (s) => {
      writeFileSync(s.path('script.sh'), '#!/no/such/interpreter\n');
      chmodSync(s.path('script.sh'), 0o755);
    },
    command: 'SCRIPT',
    options: () => ({}),
  },
  {
    name: 'dies before ready, its stderr in the error',
    code: 'EDIED',
    message: /exited with status 3 before it reported ready: see its error below or in .*err\.log/,
    command: '/bin/sh',
    args: ['-c', 'echo "cannot open /etc/app.conf" >&2; exit 3'],
    // With notify, "ready" is READY=1, which never comes: the death is before ready whatever the scheduling.
    options: (s) => ({ stderr: s.path('err.log'), notify: true }),
  },
  {
    name: 'dies before ready with stderr on /dev/null: says how to see its error',
    code: 'EDIED',
    message: /exited with status 3 before it reported ready: pass --stderr FILE \(or the stderr option\) to see its error$/,
    command: '/bin/sh',
    args: ['-c', 'exit 3'],
    options: () => ({ notify: true }),
  },
  { name: 'bad umask', code: 'EUSAGE', message: /umask/, options: () => ({ umask: 0o1777 }) },
  { name: 'keepFds 1', code: 'EUSAGE', message: /≥ 3/, options: () => ({ keepFds: [1] }) },
  { name: 'keepFds not open', code: 'EUSAGE', message: /not open/, options: () => ({ keepFds: [987] }) },
  { name: 'unknown user', code: 'EUSER', message: /unknown user/, options: () => ({ user: 'no-such-user-daemonspec' }) },
  { name: 'unknown group', code: 'EUSER', message: /unknown group/, options: () => ({ group: 'no-such-group-daemonspec' }) },
  { name: 'chroot refused', code: 'EUNSUPPORTED', message: /chroot/, options: () => ({ chroot: '/' }) },
  { name: 'notify: never says READY=1', code: 'ETIMEOUT', message: /did not report ready within 300 ms.*READY=1/, command: '/bin/sleep', args: ['300'], options: () => ({ notify: true, timeout: 300 }) },
];

describe('spawnDaemon() refuses bad input with a coded error and leaves nothing behind', () => {
  for (const c of cases) {
    it(`${c.code}: ${c.name}`, async () => {
      const s = scene();
      c.setup?.(s);
      writeFileSync(s.path('existing.log'), 'earlier lines\n');
      const before = listDir(s.dir);
      const command = c.command === 'SCRIPT' ? s.path('script.sh') : (c.command ?? '/bin/sleep');
      const options = { pidfile: s.path('daemon.pid'), stdout: s.path('existing.log'), env: s.env, ...c.options(s) };
      const error = await spawnDaemon(command, c.args ?? (c.command ? [] : ['300']), options).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DaemonspecError);
      expect((error as DaemonspecError).code, (error as Error).message).toBe(c.code);
      expect((error as Error).message).toMatch(c.message);
      // nothing left behind: no process with this test's tag, no new files but a log, log intact
      expect(tagged(s.tag)).toEqual([]);
      const after = listDir(s.dir).filter((name) => name !== 'err.log');
      expect(after).toEqual(before);
      expect(readFileSync(s.path('existing.log'), 'utf8')).toBe('earlier lines\n');
      if (c.name.startsWith('symlinked')) expect(readFileSync(s.path('target'), 'utf8')).toBe('precious\n');
      if (c.name.startsWith('dies before ready, its stderr')) expect((error as DaemonspecError).detail).toContain('cannot open /etc/app.conf');
    });
  }
});

/*
 * A start refused before it began made its logs all the same: `run --pidfile nodir/x.pid --stdout
 * x.log` exited 2 and left an empty x.log (and so did every loser of a race for one pidfile): a
 * new user's probe. The logs it made are removed again; one that was there stays, untouched.
 */
describe('a start refused before it began leaves no log it made', () => {
  it.each([
    ['the pidfile directory is missing', (s: Scene) => ({ pidfile: s.path('no-dir/d.pid') }), null],
    ['the pidfile is held by a running daemon', (s: Scene) => ({ pidfile: s.path('held.pid') }), 'held'],
    ['the stderr log directory is missing (the stdout log was made first)', (s: Scene) => ({ pidfile: s.path('d.pid'), stderr: s.path('no-dir/err.log') }), null],
  ] as const)('%s', async (_name, options, hold) => {
    const s = scene();
    const holder = hold === null ? null : await spawnDaemon('/bin/sleep', ['300'], { pidfile: s.path('held.pid'), env: s.env });
    const before = listDir(s.dir);
    const error = await spawnDaemon('/bin/sleep', ['300'], { stdout: s.path('new-out.log'), stderr: s.path('new-err.log'), env: s.env, ...options(s) }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DaemonspecError);
    expect((error as DaemonspecError).refused, (error as Error).message).toBe(true);
    expect(listDir(s.dir)).toEqual(before);
    expect(tagged(s.tag)).toEqual(holder === null ? [] : [holder.pid]);
  });
});

describe('a program that exits right after its exec (no notify): ready, or reported with its status and stderr', () => {
  // "Ready" without notify is "exec happened and still running when the original lets go": the
  // death may fall on either side of that moment, so both outcomes are allowed, but a death the
  // original sees must always come with the exit status and the log tail, never as "exited".
  it('40 starts in a row', async () => {
    const s = scene();
    for (let i = 0; i < 40; i++) {
      const error = await spawnDaemon('/bin/sh', ['-c', 'echo "cannot bind :8080" >&2; exit 3'], { pidfile: s.path(`d${i}.pid`), stderr: s.path('err.log'), env: s.env }).then(
        () => null,
        (e: unknown) => e,
      );
      if (error === null) continue;
      expect(error).toBeInstanceOf(DaemonspecError);
      expect((error as Error).message).toMatch(/^the daemon \(PID \d+\) exited with status 3 before it reported ready/);
      expect((error as DaemonspecError).detail).toContain('cannot bind :8080');
    }
  });
});

describe('a Node daemon that fails before ready makes the original exit 1 with its own error', () => {
  const nodeCases = [
    { fixture: 'fails-before-ready.mjs', pattern: /failed before it was ready: config file \/etc\/fixture.conf is missing/ },
    { fixture: 'throws-before-ready.mjs', pattern: /failed before it was ready: cannot bind: port 1 needs privileges/ },
    { fixture: 'exits-before-ready.mjs', pattern: /exited with status 4 before it reported ready[\s\S]*giving up early/ },
    { fixture: 'never-ready.mjs', pattern: /did not report ready within 300 ms and was killed.*handle\.ready\(\)/ },
  ];
  for (const c of nodeCases) {
    it(c.fixture, async () => {
      const s = scene();
      mkdirSync(s.path('logs'));
      const args = [s.path('daemon.pid'), s.path('logs/out.log'), s.path('logs/err.log'), '300'];
      const caller = await trappedCaller(s, [process.execPath, join(FIXTURES, c.fixture), ...args]);
      expect(caller.exitCode).toBe(1);
      expect(caller.stderr).toMatch(c.pattern);
      expect(tagged(s.tag)).toEqual([]);
      expect(listDir(s.dir).filter((n) => n !== 'logs' && !n.startsWith('caller-') && n !== 'odd cwd' && n !== 'leaked-by-caller')).toEqual([]);
    });
  }
});

describe('a failed spawn leaks no fd of the caller', () => {
  /** The pipes open in this test worker (the readiness pipe is one). */
  function pipes(): string[] {
    const out: string[] = [];
    for (const fd of readdirSync('/proc/self/fd')) {
      try {
        const target = readlinkSync(`/proc/self/fd/${fd}`);
        if (target.startsWith('pipe:')) out.push(`${fd}:${target}`);
      } catch {
        // closed meanwhile (the readdir's own fd)
      }
    }
    return out.sort();
  }

  it('E2BIG (an environment string over 128 KiB): EEXEC with the hint, and both ends of the readiness pipe closed', async () => {
    const s = scene();
    const before = pipes();
    const error = await spawnDaemon('/bin/sleep', ['300'], { pidfile: s.path('d.pid'), env: { ...s.env, BIG: 'x'.repeat(200_000) } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DaemonspecError);
    expect((error as DaemonspecError).code).toBe('EEXEC');
    expect((error as Error).message).toContain('E2BIG');
    expect((error as Error).message).toContain('the arguments or environment are too large');
    expect(pipes()).toEqual(before);
    expect(tagged(s.tag)).toEqual([]);
    expect(listDir(s.dir)).toEqual([]);
  });
});
