import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, lchownSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isRunning, scene, type Scene, tagged } from './support.js';
import { runCliSync } from '../cli/run-cli.js';

/*
 * Issue 13 point 2: files planted by another user where the caller reads or writes. As root, with
 * real files owned by `nobody` in directories made 1777 or 0777, as an attacker would leave them.
 * start-stop-daemon refuses such a pidfile ("matching only on non-root pidfile ... is insecure").
 */
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

function cli(s: Scene, args: string[]) {
  return runCliSync(args, s.env);
}

/** A process started by the test, killed when it ends; resolves once it printed `ready`. */
async function started(s: Scene, argv: string[]): Promise<ChildProcess> {
  const child = spawnChild(argv[0]!, argv.slice(1), { env: s.env, stdio: ['ignore', 'pipe', 'inherit'] });
  onTestFinished(() => {
    child.kill('SIGKILL');
  });
  let out = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    out += chunk;
    if (out.includes('ready')) child.emit('ready');
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${argv.join(' ')} exited (${code}) before it was ready`);
  });
  await Promise.race([once(child, 'ready'), exited]);
  exited.catch(() => undefined);
  return child;
}

/** A root process the attacker would like root to kill, and a 1777 directory the attacker writes in. */
async function plantedPidfile(s: Scene, dirMode: number, dirOwner = 0): Promise<{ pidfile: string; victim: number }> {
  chmodSync(s.dir, 0o755); // the attacker can reach the shared directory
  const dir = s.path('shared');
  mkdirSync(dir);
  chmodSync(dir, dirMode);
  chownSync(dir, dirOwner, dirOwner);
  const victim = await started(s, ['/bin/sh', '-c', 'echo ready; exec /bin/sleep 300']);
  const pidfile = `${dir}/d.pid`;
  writeFileSync(pidfile, `${victim.pid}\n`);
  chownSync(pidfile, NOBODY, NOBODY);
  // The attacker holds the lock, so the pidfile looks like a running daemon's.
  await started(s, ['/usr/bin/setpriv', '--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', '/usr/bin/flock', pidfile, '/bin/sh', '-c', 'echo ready; exec /bin/sleep 300']);
  return { pidfile, victim: victim.pid! };
}

describe.skipIf(!asRoot)('planted pidfiles', () => {
  it("stop and status refuse a pidfile another user owns (it names root's process), saying why; --force is the way out", async () => {
    const s = scene();
    const { pidfile, victim } = await plantedPidfile(s, 0o1777);
    const stop = cli(s, ['stop', '--pidfile', pidfile, '--timeout', '5']);
    expect(stop.stderr).toContain(`owned by uid ${NOBODY}`);
    expect(stop.stderr).toContain('--force');
    expect(stop.code).toBe(1);
    expect(isRunning(victim)).toBe(true);
    const status = cli(s, ['status', '--pidfile', pidfile]);
    expect(status.stderr).toContain(`owned by uid ${NOBODY}`);
    expect(status.code).toBe(4);
    expect(cli(s, ['status', '--force', '--pidfile', pidfile]).code).toBe(0);
    const forced = cli(s, ['stop', '--force', '--pidfile', pidfile, '--timeout', '5']);
    // The victim is signalled; the attacker's lock holder is in no session of a daemon's, so the
    // stop leaves it and the pidfile, says so, and exits 1 (it said "stopped", exit 0, until 2026-12-05).
    expect(forced.stderr).toContain(`pidfile ${pidfile} was left in place`);
    expect(forced.code).toBe(1);
    expect(isRunning(victim)).toBe(false);
  });

  it('a pidfile path that is a symlink another user planted: stop and status say it is a symlink (which --force does not change), not "pass --force" (found by a new user\'s probe)', () => {
    const s = scene();
    chmodSync(s.dir, 0o755);
    const dir = s.path('shared');
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    const pidfile = `${dir}/evil.pid`;
    symlinkSync(`${dir}/target`, pidfile);
    lchownSync(pidfile, NOBODY, NOBODY);
    for (const args of [['stop'], ['stop', '--force'], ['status'], ['status', '--force']]) {
      const r = cli(s, [...args, '--pidfile', pidfile]);
      expect(r.stderr, args.join(' ')).toContain('it is a symbolic link, which daemonspec refuses');
      expect(r.stderr, args.join(' ')).not.toContain('--force');
      expect(r.code, args.join(' ')).toBe(args[0] === 'status' ? 4 : 2);
    }
  });

  it('a root-owned pidfile in a directory others may write without the sticky bit is refused too', async () => {
    const s = scene();
    const { pidfile, victim } = await plantedPidfile(s, 0o777);
    chownSync(pidfile, 0, 0);
    const stop = cli(s, ['stop', '--pidfile', pidfile, '--timeout', '5']);
    expect(stop.stderr).toMatch(/writable by other users and not sticky/);
    expect(stop.code).toBe(1);
    expect(isRunning(victim)).toBe(true);
  });

  it("a root-owned pidfile in a sticky directory another user owns is refused (the directory's owner may replace it)", async () => {
    const s = scene();
    const { pidfile, victim } = await plantedPidfile(s, 0o1777, NOBODY);
    chownSync(pidfile, 0, 0);
    const status = cli(s, ['status', '--pidfile', pidfile]);
    expect(status.stderr).toContain(`owned by uid ${NOBODY}`);
    expect(status.code).toBe(4);
    expect(isRunning(victim)).toBe(true);
  });

  it("root's own pidfile in a 1777 directory is trusted: run, status and stop work", () => {
    const s = scene();
    const dir = s.path('shared');
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    const pidfile = `${dir}/d.pid`;
    expect(cli(s, ['run', '--pidfile', pidfile, '--', '/bin/sleep', '300']).code).toBe(0);
    expect(cli(s, ['status', '--pidfile', pidfile]).code).toBe(0);
    const stop = cli(s, ['stop', '--pidfile', pidfile]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(tagged(s.tag)).toEqual([]);
  });
});

describe.skipIf(!asRoot)('planted log symlinks (protected_symlinks applied whatever the sysctl says)', () => {
  function stickyWithLink(s: Scene, linkOwner: number, dirOwner = 0): { link: string; precious: string } {
    const dir = s.path('shared');
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    chownSync(dir, dirOwner, dirOwner);
    const precious = s.path('precious');
    writeFileSync(precious, 'root only\n');
    const link = `${dir}/app.log`;
    symlinkSync(precious, link);
    lchownSync(link, linkOwner, linkOwner);
    return { link, precious };
  }

  it("run refuses a symlink another user planted in a sticky world-writable directory: root's file is untouched", () => {
    const s = scene();
    const { link, precious } = stickyWithLink(s, NOBODY);
    const r = cli(s, ['run', '--stdout', link, '--', '/bin/sh', '-c', 'echo owned; exec /bin/sleep 300']);
    expect(r.stderr).toContain(`the symlink ${link} is owned by uid ${NOBODY}`);
    expect(r.stderr).toContain('protected_symlinks');
    expect(r.code).toBe(2);
    expect(readFileSync(precious, 'utf8')).toBe('root only\n');
    expect(tagged(s.tag)).toEqual([]);
  });

  it('a symlink owned by the caller, or by the owner of the sticky directory, is followed (as the kernel would)', () => {
    for (const [linkOwner, dirOwner] of [
      [0, 0],
      [NOBODY, NOBODY],
    ] as const) {
      const s = scene();
      const { link, precious } = stickyWithLink(s, linkOwner, dirOwner);
      const r = cli(s, ['run', '--print-pid', '--stdout', link, '--', '/bin/sh', '-c', 'echo appended; exec /bin/sleep 300']);
      expect(r.code, r.stderr).toBe(0);
      process.kill(Number(r.stdout.trim()), 'SIGKILL');
      expect(readFileSync(precious, 'utf8')).toMatch(/^root only\n/);
    }
  });
});

describe.skipIf(!asRoot)('a pidfile reached through a planted directory symlink (found by a library probe)', () => {
  it("run refuses it: root's file behind the link is neither replaced nor, by a later stop, removed", () => {
    const s = scene();
    const dir = s.path('shared');
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    const victim = s.path('victim');
    mkdirSync(victim);
    writeFileSync(`${victim}/app.pid`, 'IMPORTANT\n');
    const link = `${dir}/evil`;
    symlinkSync(victim, link);
    lchownSync(link, NOBODY, NOBODY);
    const r = cli(s, ['run', '--pidfile', `${link}/app.pid`, '--', '/bin/sleep', '300']);
    expect(r.stderr).toBe(
      `daemonspec: refusing pidfile ${link}/app.pid: the symlink ${link} is owned by uid ${NOBODY} in the sticky world-writable directory ${dir} (owner uid 0), ` +
        "and following it could make this process replace, and a stop remove, a file of another user's choosing (the kernel's protected_symlinks rule, applied whatever the sysctl says): " +
        'remove the link, or put the pidfile in a directory only you can write\n',
    );
    expect(r.code).toBe(2);
    expect(readFileSync(`${victim}/app.pid`, 'utf8')).toBe('IMPORTANT\n');
    expect(tagged(s.tag)).toEqual([]);
  });
});

/*
 * An adversarial probe: another user's FIFO (with their reader on it) or world-writable file at a
 * log path in /tmp got the daemon's output, and the FIFO killed the daemon with SIGPIPE once the
 * reader went. protected_fifos and protected_regular are applied whatever the sysctls say.
 */
describe.skipIf(!asRoot)('planted log files (protected_fifos and protected_regular applied whatever the sysctls say)', () => {
  function sharedDir(s: Scene): string {
    chmodSync(s.dir, 0o755);
    const dir = s.path('shared');
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    return dir;
  }

  it("run refuses another user's FIFO, read by them, at the log path: nothing is started, nothing written to it", async () => {
    const s = scene();
    const fifo = `${sharedDir(s)}/app.log`;
    const reader = await started(s, ['/usr/bin/setpriv', '--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', '/bin/sh', '-c', `mkfifo -m 666 ${fifo} && echo ready && exec cat ${fifo}`]);
    let heard = '';
    reader.stdout!.on('data', (chunk: string) => (heard += chunk));
    const r = cli(s, ['run', '--pidfile', s.path('d.pid'), '--stdout', fifo, '--', '/bin/sh', '-c', 'echo secret; exec sleep 300']);
    expect(r.stderr).toBe(
      `daemonspec: refusing stdout log ${fifo}: it is a FIFO owned by uid ${NOBODY} in the sticky world-writable directory ${s.path('shared')} (owner uid 0), ` +
        "so another user would read what the daemon logs (the kernel's protected_fifos rule, applied whatever the sysctl says): remove it, or put the log in a directory only you can write\n",
    );
    expect(r.code).toBe(2);
    expect(tagged(s.tag).filter((pid) => pid !== reader.pid)).toEqual([]);
    expect(heard).not.toContain('secret');
  });

  it("run refuses another user's world-writable file at the log path, and appends to the caller's own", () => {
    const s = scene();
    const dir = sharedDir(s);
    writeFileSync(`${dir}/theirs.log`, '', { mode: 0o666 });
    chownSync(`${dir}/theirs.log`, NOBODY, NOBODY);
    chmodSync(`${dir}/theirs.log`, 0o666);
    const refused = cli(s, ['run', '--pidfile', s.path('a.pid'), '--stderr', `${dir}/theirs.log`, '--', '/bin/sh', '-c', 'echo secret >&2']);
    expect(refused.stderr).toMatch(/^daemonspec: refusing stderr log \S+theirs\.log: it is a file owned by uid 65534 in the sticky world-writable directory .*protected_regular rule/);
    expect(refused.code).toBe(2);
    expect(readFileSync(`${dir}/theirs.log`, 'utf8')).toBe('');
    writeFileSync(`${dir}/mine.log`, 'earlier\n');
    const ok = cli(s, ['run', '--pidfile', s.path('b.pid'), '--stdout', `${dir}/mine.log`, '--alive-for', '10ms', '--', '/bin/sh', '-c', 'echo mine; exec sleep 300']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(`${dir}/mine.log`, 'utf8')).toBe('earlier\nmine\n');
  });

  it("the log of a --user daemon, owned by that user, is its own: taken (a review: it was refused)", () => {
    const s = scene();
    const dir = sharedDir(s);
    writeFileSync(`${dir}/app.log`, 'earlier\n');
    chownSync(`${dir}/app.log`, NOBODY, NOBODY);
    const r = cli(s, ['run', '--user', 'nobody', '--pidfile', s.path('u.pid'), '--stdout', `${dir}/app.log`, '--alive-for', '10ms', '--', '/bin/sh', '-c', 'echo own; exec sleep 300']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(`${dir}/app.log`, 'utf8')).toBe('earlier\nown\n');
  });
});
