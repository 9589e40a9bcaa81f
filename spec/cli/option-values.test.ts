import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { testDir } from '../support/temp-dir.js';
import { CLI } from './run-cli.js';

/*
 * Values the CLI must refuse before anything starts (exit 2, one line naming the flag), found by
 * an adversarial probe: a flag whose value is missing took the next word (a pidfile named `--` or
 * `--print-pid` was written), an empty path meant the caller's directory, and a duration beyond
 * what a Node timer holds became no wait at all (with a warning per millisecond for --alive-for),
 * `--keep-fd` was checked in the library's words (keepFds), and a variable name that /bin/sh drops
 * was silently lost.
 * Each runs in an empty directory, which must stay empty.
 */

const CASES: readonly (readonly [string, readonly string[], string])[] = [
  ['-- taken as a value', ['run', '--pidfile', '--', '/bin/sleep', '1'], '--pidfile has no value (the word after it is the -- that ends the options): give --pidfile FILE'],
  ['a switch taken as a value', ['run', '--pidfile', '--print-pid', '--', '/bin/sleep', '1'], '--pidfile has no value (the word after it, --print-pid, is an option): give --pidfile FILE, or --pidfile=--print-pid if that is the value'],
  ['--help taken as a value', ['run', '--stdout', '--help', '--', '/bin/sleep', '1'], '--stdout has no value (the word after it, --help, is an option): give --stdout FILE, or --stdout=--help if that is the value'],
  ['-v taken as a value', ['run', '--stdout', '-v', '--', '/bin/sleep', '1'], '--stdout has no value (the word after it, -v, is an option): give --stdout FILE, or --stdout=-v if that is the value'],
  ["another command's flag taken as a value", ['run', '--pidfile', '--json', '--', '/bin/sleep', '1'], '--pidfile has no value (the word after it, --json, is an option): give --pidfile FILE, or --pidfile=--json if that is the value'],
  ['a flag with its value taken as a value', ['run', '--ready-file', '--pidfile=x', '--', '/bin/sleep', '1'], '--ready-file has no value (the word after it, --pidfile=x, is an option): give --ready-file PATH, or --ready-file=--pidfile=x if that is the value'],
  ['stop: a flag taken as a value', ['stop', '--pidfile', '--ok-if-stopped'], '--pidfile has no value (the word after it, --ok-if-stopped, is an option): give --pidfile FILE, or --pidfile=--ok-if-stopped if that is the value'],
  // The first value went unused without a word (a new user's probe): --pidfile=a --pidfile=b wrote b.
  ['a one-value flag given twice', ['run', '--pidfile=a.pid', '--pidfile', 'b.pid', '--', '/bin/sleep', '1'], '--pidfile was given twice ("a.pid", then "b.pid"): give it once'],
  ['check --json: a one-value flag given twice (nothing on stdout: docs/cli.md)', ['check', '--json', '--timeout', '5', '--timeout=6', '--', '/bin/true'], '--timeout was given twice ("5", then "6"): give it once'],
  ['an empty cwd', ['run', '--cwd=', '--', '/bin/sleep', '1'], '--cwd: the value is empty: give one, or leave --cwd out'],
  ['an empty pidfile', ['run', '--pidfile', '', '--', '/bin/sleep', '1'], '--pidfile: the value is empty: give one, or leave --pidfile out'],
  ['an empty user', ['run', '--user', '', '--', '/bin/sleep', '1'], '--user: the value is empty: give one, or leave --user out'],
  ['a timeout beyond a timer', ['run', '--timeout', '3000000', '--', '/bin/sleep', '1'], '--timeout: "3000000" is too long: give at most 2147483647 ms (2147483 s, about 24.8 days: the longest wait Node\'s timers hold)'],
  ['alive-for beyond a timer', ['run', '--alive-for', '2500000', '--', '/bin/sleep', '1'], '--alive-for: "2500000" is too long: give at most 2147483647 ms (2147483 s, about 24.8 days: the longest wait Node\'s timers hold)'],
  ['a check timeout beyond a timer', ['check', '--timeout', '40000m', '--', '/bin/true'], '--timeout: "40000m" is too long: give at most 2147483647 ms (2147483 s, about 24.8 days: the longest wait Node\'s timers hold)'],
  ['a standard fd to keep', ['run', '--keep-fd', '1', '--', '/bin/sleep', '1'], '--keep-fd: "1" is not a file descriptor number from 3 up (0, 1 and 2 are always set up)'],
  ['an fd number beyond any fd', ['run', '--keep-fd', '99999999999999999999', '--', '/bin/sleep', '1'], '--keep-fd: "99999999999999999999" is not a file descriptor number from 3 up (0, 1 and 2 are always set up)'],
  ['an fd that is not open', ['run', '--keep-fd', '900', '--', '/bin/sleep', '1'], '--keep-fd: fd 900 is not open in this process: open it in the shell that runs daemonspec, e.g. daemonspec run --keep-fd 900 -- CMD 900<FILE'],
  ['--image without a docker isolation (it was ignored)', ['check', '--image', 'x', '--', '/bin/true'], '--image is for --isolation docker or docker-init, and this check runs on host: add --isolation docker, or leave --image out'],
  ['an empty command', ['run', '--', ''], 'the command is empty: give a program to run, e.g. `daemonspec run -- /usr/bin/sleep 300`'],
  ['a variable name sh drops', ['run', '--env', 'A-B=4', '--', '/bin/sleep', '1'], 'environment variable name "A-B" cannot be passed on: /bin/sh, which runs the chain, drops names that are not letters, digits and _ (not starting with a digit): rename it'],
];

describe('--keep-fd of an fd the caller did not hand over', () => {
  it("one of Node's own (the CLI started with fds 0-2 only, as npx starts it): exit 2 naming what it is", () => {
    const dir = testDir('option-values-');
    const r = spawnSync(process.execPath, [CLI, 'run', '--keep-fd', '3', '--keep-fd', '4', '--keep-fd', '5', '--', '/bin/sleep', '1'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toMatch(/^daemonspec: --keep-fd: fd [345] is Node's own \((anon_inode:\S+|pipe:\[\d+\], a non-blocking pipe whose other end it holds too)\), not one handed to daemonspec: open it in the shell .* \(npx passes on only fds 0-2: run node_modules\/\.bin\/daemonspec\)\n$/);
    expect(r.status).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('--keep-fd of both ends of a pipe the caller made and handed over', () => {
  it('is taken (exit 0): only non-blocking pipes held at both ends are counted as Node\'s', () => {
    const dir = testDir('option-values-');
    const pidfile = join(dir, 'd.pid');
    // python makes a pipe, puts its ends at fds 5 and 6 and runs the CLI with them (blocking, as pipe(2) makes them).
    const script = `import os, subprocess, sys
r, w = os.pipe(); os.dup2(r, 5); os.dup2(w, 6)
sys.exit(subprocess.run([sys.argv[1], sys.argv[2], 'run', '--pidfile', sys.argv[3], '--keep-fd', '5', '--keep-fd', '6', '--', '/bin/sleep', '300'], pass_fds=(5, 6)).returncode)`;
    const r = spawnSync('python3', ['-c', script, process.execPath, CLI, pidfile], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    onTestFinished(() => {
      if (existsSync(pidfile)) process.kill(Number(readFileSync(pidfile, 'utf8')), 'SIGKILL');
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const pid = Number(readFileSync(pidfile, 'utf8'));
    expect([readlinkSync(`/proc/${pid}/fd/5`), readlinkSync(`/proc/${pid}/fd/6`)]).toEqual([expect.stringMatching(/^pipe:/), expect.stringMatching(/^pipe:/)]);
  });
});

/*
 * The chain's scripts name their fds by one digit (dash reads `10<&-` as the word 10 and `<&-`):
 * with five fds kept below 10, the life line's fd was 10, and the daemon got an argument `10`, no
 * stdin and the life line's pipe. Found by a review.
 */
describe('--keep-fd of fds below 10', () => {
  /** python puts /dev/null at fds 3..(3+count-1) and runs the CLI with them kept. */
  function runKeeping(count: number, pidfile: string | null, dir: string): ReturnType<typeof spawnSync> {
    const script = `import os, subprocess, sys
fds = list(range(3, 3 + int(sys.argv[1])))
for fd in fds: os.dup2(os.open('/dev/null', os.O_RDONLY), fd)
keep = [w for fd in fds for w in ('--keep-fd', str(fd))]
pid = ['--pidfile', sys.argv[4]] if sys.argv[4] else []
sys.exit(subprocess.run([sys.argv[2], sys.argv[3], 'run', *pid, *keep, '--', '/bin/sleep', '300'], pass_fds=fds).returncode)`;
    return spawnSync('python3', ['-c', script, String(count), process.execPath, CLI, pidfile ?? ''], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  }

  it('more than the chain leaves free: exit 2, one line with the fix, nothing started', () => {
    const dir = testDir('option-values-');
    const r = runKeeping(5, null, dir);
    expect(r.stderr).toBe('daemonspec: --keep-fd: 5 of them are below 10, and the start needs 3 of the fds 3-9 for its own pipes (/bin/sh names fds by one digit): keep at most 4 fds below 10, or dup the others to 10 or above first\n');
    expect(r.status).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('as many as the chain leaves, with a pidfile: the daemon gets its own argv, stdin and the kept fds, nothing of the chain', () => {
    const dir = testDir('option-values-');
    const pidfile = join(dir, 'd.pid');
    const r = runKeeping(4, pidfile, dir);
    onTestFinished(() => {
      if (existsSync(pidfile)) process.kill(Number(readFileSync(pidfile, 'utf8')), 'SIGKILL');
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const pid = Number(readFileSync(pidfile, 'utf8'));
    expect(readFileSync(`/proc/${pid}/cmdline`, 'latin1')).toBe('/bin/sleep\u0000300\u0000');
    expect(readlinkSync(`/proc/${pid}/fd/0`)).toBe('/dev/null');
    const fds = readdirSync(`/proc/${pid}/fd`).map(Number).sort((a, b) => a - b);
    // 0-2, the four kept, and the pidfile's lock: no pipe of the chain.
    expect(fds.filter((fd) => fd > 6).map((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`))).toEqual([pidfile]);
    expect(fds.slice(0, 7)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('option values refused before anything starts', () => {
  it.each(CASES)('%s: exit 2, one line naming the flag, nothing written', (_what, args, message) => {
    const dir = testDir('option-values-');
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe(`daemonspec: ${message}\n`);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the library refuses the same', () => {
  it('an empty cwd, pidfile or user, and a timeout beyond a timer, as usage errors that started nothing', async () => {
    const { spawnDaemon } = await import('../../src/index.js');
    const cases = [
      [{ cwd: '' }, 'the cwd path is empty: give a path, or leave cwd out for its default'],
      [{ pidfile: '' }, 'the pidfile path is empty: give a path, or leave pidfile out for its default'],
      [{ user: '' }, 'the user is empty: give a name or a number, or leave user out'],
      [{ timeout: 2 ** 31 }, `timeout must be a positive number of milliseconds, at most 2147483647 ms (2147483 s, about 24.8 days: the longest wait Node's timers hold), got ${2 ** 31}`],
      // Found by a library probe: a numeric string passed `> 0`, and the deadline became a concatenation.
      [{ timeout: '1000' as unknown as number }, 'spawnDaemon() option timeout must be a number, got "1000"'],
      [{ stdout: 5 as unknown as string }, 'spawnDaemon() option stdout must be a string, got 5'],
    ] as const;
    for (const [options, message] of cases) {
      await expect(spawnDaemon('/bin/sleep', ['1'], options)).rejects.toMatchObject({ code: 'EUSAGE', refused: true, message });
    }
  });

  it("stopDaemon: a timeout that is no number of milliseconds, or an unknown signal, refused before the pidfile is read (NaN meant SIGKILL at once)", async () => {
    const { stopDaemon } = await import('../../src/index.js');
    for (const timeout of [NaN, -1, '1000' as unknown as number]) {
      await expect(stopDaemon({ pidfile: '/nonexistent/x.pid', timeout })).rejects.toMatchObject({ code: 'EUSAGE', refused: true, message: expect.stringMatching(/^timeout must be a number of milliseconds, 0 or more/) });
    }
    await expect(stopDaemon({ pidfile: '/nonexistent/x.pid', signal: 'SIGFOO' })).rejects.toMatchObject({ code: 'EUSAGE', refused: true });
    await expect(stopDaemon({ pidfile: '/nonexistent/x.pid', timeout: 0 })).resolves.toMatchObject({ stopped: false });
  });
});
