import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, onTestFinished, test } from 'vitest';
import { isolationGate } from '../isolation/support.js';
import { taggedPids } from '../support/proc.js';
import { testDir } from '../support/temp-dir.js';
import { killUntilGone, waitFor } from '../support/wait.mjs';
import { CLI } from './run-cli.js';
import { openPty } from '../../src/ffi/pty.js';

/*
 * Ctrl-C (or a CI job's SIGTERM) in the middle of a check: the daemon it started, the command
 * still in the foreground and the launcher are stopped, the temporary directories removed, no
 * output is written, and the CLI exits 130 with one line. Before, the CLI died at once and left
 * all of it behind.
 */

/** The command name of `pid`, or '' once it is gone. */
function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

interface StartedCli {
  pid: number;
  tmp: string;
  tagged: () => number[];
  sleeps: () => number;
  /** Sends the signals in turn; resolves once the CLI has ended. */
  interrupt: (...signals: NodeJS.Signals[]) => Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** The CLI's stderr on a terminal: everything written to it so far (a pty turns \n into \r\n). */
interface TerminalStderr {
  fd: number;
  text: () => string;
}

/** A pty whose slave is handed to the CLI as stderr; closed when the test ends. */
function terminalStderr(): TerminalStderr {
  const pty = openPty();
  const fd = openSync(pty.slavePath, 'r+');
  const stream = new ReadStream(pty.master);
  let text = '';
  stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  stream.on('error', () => undefined); // EIO once the CLI, the slave's last holder, has ended
  onTestFinished(() => {
    stream.destroy();
  });
  return { fd, text: () => text };
}

/** The CLI started with `args`, a private TMPDIR and a tag every process it starts inherits; what is left is killed at the end. */
function startCli(args: readonly string[], terminal?: TerminalStderr): StartedCli {
  const tmp = testDir('cli-interrupt-');
  const tag = randomBytes(6).toString('hex');
  const tagged = (): number[] => taggedPids('INTERRUPT_TEST', tag);
  onTestFinished(async () => {
    await killUntilGone(tagged, (pid) => pid);
  });
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, TMPDIR: tmp, INTERRUPT_TEST: tag, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' },
    stdio: ['ignore', 'pipe', terminal?.fd ?? 'pipe'],
  });
  if (terminal) closeSync(terminal.fd);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // 'close': the exit status and all of the output.
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const sleeps = (): number => tagged().filter((pid) => comm(pid) === 'sleep').length;
  return {
    pid: child.pid!,
    tmp,
    tagged,
    sleeps,
    async interrupt(...signals) {
      for (const signal of signals) child.kill(signal);
      return { code: await closed, stdout, stderr: terminal ? terminal.text() : stderr };
    },
  };
}

const ONE_LINE = (command: string, signal: string): RegExp => new RegExp(`^daemonspec: ${command} interrupted by ${signal}; stopped \\d+ process(es)? it had started\\n$`);

test.for(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('an interrupted check (%s) exits 130 and leaves nothing it started, nor its temporary directory', async (signal) => {
  // The original leaves a daemon and stays in the foreground: the check is still waiting for it.
  const cli = startCli(['check', '--timeout', '60', '--', '/bin/sh', '-c', 'setsid -f /bin/sleep 301; exec /bin/sleep 302']);
  await waitFor('the daemon and the foreground command', () => cli.sleeps() === 2, { timeoutMs: 30_000, intervalMs: 20 });
  const { code, stdout, stderr } = await cli.interrupt(signal);
  expect(code).toBe(130);
  expect(stderr).toMatch(ONE_LINE('check', signal));
  expect(stdout).toBe('');
  expect(cli.tagged()).toEqual([]);
  expect(readdirSync(cli.tmp)).toEqual([]);
});

// SIGKILL runs no handler: an adversarial probe found the daemon and the check's directory left
// behind (the next check refused the pidfile the daemon still held). The caretaker cleans up.
test.for(['check', 'fuzz'] as const)('a %s killed with SIGKILL: its caretaker stops what it started and removes its temporary directories', async (command) => {
  const daemonizing = ['/bin/sh', '-c', 'setsid -f /bin/sleep 301; exec /bin/sleep 302'];
  const args = command === 'check' ? ['check', '--timeout', '60', '--', ...daemonizing] : ['fuzz', '--runs', '3', '--jobs', '1', '--timeout', '60', '--', ...daemonizing];
  const cli = startCli(args);
  await waitFor('the daemon and the foreground command', () => cli.sleeps() === 2, { timeoutMs: 30_000, intervalMs: 20 });
  const { code } = await cli.interrupt('SIGKILL');
  expect(code).toBeNull();
  await waitFor('nothing left running, no directory left', () => cli.tagged().length === 0 && readdirSync(cli.tmp).length === 0, { timeoutMs: 10_000, intervalMs: 20 });
});

test("an interrupted check stops the daemon with SIGTERM first: one that removes its own pidfile then leaves none (a SIGKILL left it)", async () => {
  const dir = testDir('cli-interrupt-daemon-');
  const pidfile = join(dir, 'own.pid');
  const script = join(dir, 'd.mjs');
  const lib = pathToFileURL(join(import.meta.dirname, '../../dist/bundle/index.js')).href;
  writeFileSync(script, `import { daemonize } from ${JSON.stringify(lib)};\nawait daemonize({ pidfile: ${JSON.stringify(pidfile)} });\nsetInterval(() => {}, 1 << 30);\n`);
  // The check is still waiting for the command, which stays in the foreground after the start.
  const cli = startCli(['check', '--timeout', '60', '--', '/bin/sh', '-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(script)} && exec /bin/sleep 302`]);
  await waitFor('the daemon and the foreground command', () => existsSync(pidfile) && cli.sleeps() === 1, { timeoutMs: 30_000, intervalMs: 20 });
  const { code, stderr } = await cli.interrupt('SIGINT');
  expect(code).toBe(130);
  expect(stderr).toMatch(ONE_LINE('check', 'SIGINT'));
  expect(existsSync(pidfile)).toBe(false);
  expect(cli.tagged()).toEqual([]);
  expect(readdirSync(cli.tmp)).toEqual([]);
});

test('what appears during the grace gets SIGTERM too: an heir the daemon forks from its SIGTERM handler removes its file (found by a review)', async () => {
  // One scan, before the SIGTERMs, missed it: the heir then got only the sweep's SIGKILL.
  const dir = testDir('cli-interrupt-heir-');
  const pidfile = join(dir, 'own.pid');
  const heir = join(dir, 'heir');
  const daemon = fileURLToPath(new URL('./term-forking-daemon.py', import.meta.url));
  const cli = startCli(['check', '--timeout', '60', '--pidfile', pidfile, '--', '/bin/sh', '-c', `/usr/bin/python3 ${daemon} ${pidfile} ${heir} && exec /bin/sleep 302`]);
  await waitFor('the daemon and the foreground command', () => existsSync(pidfile) && cli.sleeps() === 1, { timeoutMs: 30_000, intervalMs: 10 });
  const { code, stderr } = await cli.interrupt('SIGINT');
  expect(code).toBe(130);
  expect(stderr).toMatch(ONE_LINE('check', 'SIGINT'));
  expect(existsSync(pidfile)).toBe(false);
  expect(existsSync(heir)).toBe(false);
  expect(cli.tagged()).toEqual([]);
  expect(readdirSync(cli.tmp)).toEqual([]);
});

test('an interrupted matrix (SIGINT to it alone) passes the signal to its checks, starts no more, writes nothing, exits 130 and leaves nothing behind', async () => {
  const out = join(testDir('matrix-interrupt-out-'), 'conformance.md');
  const cli = startCli(['matrix', '--isolation', 'host', '--fixtures', 'start-stop-daemon,setsid-fork,nohup', '--jobs', '1', '--markdown', out]);
  // The first fixture's daemon (its workload ends in `sleep infinity`) is up, in a child check process.
  await waitFor('the fixture\'s daemon', () => cli.sleeps() > 0, { timeoutMs: 30_000, intervalMs: 20 });
  const { code, stdout, stderr } = await cli.interrupt('SIGINT');
  expect(code).toBe(130);
  expect(stderr).toMatch(ONE_LINE('matrix', 'SIGINT'));
  expect(stdout).toBe('');
  expect(existsSync(out)).toBe(false);
  expect(cli.tagged()).toEqual([]);
  expect(readdirSync(cli.tmp)).toEqual([]);
});

test('an interrupted matrix --fuzz (SIGTERM) exits 130 and leaves nothing running nor any directory (it had no interrupt handling: found by a review)', async () => {
  const cli = startCli(['matrix', '--fuzz', '20', '--fixtures', 'setsid-fork,nohup', '--jobs', '1']);
  await waitFor('a fuzzed daemon', () => cli.sleeps() > 0, { timeoutMs: 60_000, intervalMs: 20 });
  const { code, stdout, stderr } = await cli.interrupt('SIGTERM');
  expect(code).toBe(130);
  expect(stderr).toMatch(ONE_LINE('matrix', 'SIGTERM'));
  expect(stdout).toBe('');
  expect(cli.tagged()).toEqual([]);
  expect(readdirSync(cli.tmp)).toEqual([]);
});

test('on a terminal, the interrupted matrix clears its progress line before its one line', async () => {
  const terminal = terminalStderr();
  const cli = startCli(['matrix', '--isolation', 'host', '--fixtures', 'setsid-fork,start-stop-daemon,nohup', '--jobs', '1'], terminal);
  await waitFor('the first progress line', () => terminal.text().includes('[1/3]'), { timeoutMs: 60_000, intervalMs: 20 });
  const { code } = await cli.interrupt('SIGINT');
  expect(code).toBe(130);
  await waitFor('the one line on the terminal', () => terminal.text().includes('interrupted by SIGINT'), { timeoutMs: 5000, intervalMs: 10 });
  const afterProgress = terminal.text().slice(terminal.text().lastIndexOf('[1/3]'));
  expect(afterProgress).toMatch(/\r\x1b\[Kdaemonspec: matrix interrupted by SIGINT; stopped \d+ process(es)? it had started\r\n$/);
  expect(cli.tagged()).toEqual([]);
});

const namespace = await isolationGate('namespace');
describe.runIf(namespace.run)(`check --isolation ${namespace.label}`, () => {
  test('interrupted (SIGTERM to the CLI alone): the checker in the namespace, under unshare, which passes no signal on, cleans up too', async () => {
    const cli = startCli(['check', '--isolation', 'namespace', '--timeout', '60', '--', '/bin/sh', '-c', 'setsid -f /bin/sleep 301; exec /bin/sleep 302']);
    await waitFor('the daemon and the foreground command', () => cli.sleeps() === 2, { timeoutMs: 30_000, intervalMs: 20 });
    const { code, stderr } = await cli.interrupt('SIGTERM');
    expect(code).toBe(130);
    expect(stderr).toMatch(ONE_LINE('check', 'SIGTERM'));
    expect(cli.tagged()).toEqual([]);
    expect(readdirSync(cli.tmp)).toEqual([]);
  });
});

/** Host pids whose command line is exactly `argv` (a container's processes are visible from the host). */
function pidsRunning(argv: readonly string[]): number[] {
  const wanted = `${argv.join('\0')}\0`;
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/cmdline`, 'latin1') === wanted;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const docker = await isolationGate('docker');
describe.runIf(docker.run)(`check --isolation ${docker.label}`, () => {
  test('interrupted (SIGINT to the CLI alone): the checker in the container gets it through docker, and no container is left', async () => {
    // A duration of its own: the daemon and the command are found among the host's processes by it.
    const daemon = ['/bin/sleep', `301.${randomBytes(3).readUIntBE(0, 3)}`];
    const foreground = ['/bin/sleep', `302.${randomBytes(3).readUIntBE(0, 3)}`];
    const script = `setsid -f ${daemon.join(' ')}; exec ${foreground.join(' ')}`;
    const cli = startCli(['check', '--isolation', 'docker', '--timeout', '60', '--', '/bin/sh', '-c', script]);
    onTestFinished(() => {
      for (const pid of [...pidsRunning(daemon), ...pidsRunning(foreground)]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
    });
    await waitFor('the daemon and the foreground command in the container', () => pidsRunning(daemon).length + pidsRunning(foreground).length === 2, { timeoutMs: 60_000, intervalMs: 20 });
    const { code, stdout, stderr } = await cli.interrupt('SIGINT');
    expect(code).toBe(130);
    expect(stderr).toMatch(ONE_LINE('check', 'SIGINT'));
    expect(stdout).toBe('');
    expect([...pidsRunning(daemon), ...pidsRunning(foreground)]).toEqual([]);
    const containers = spawnSync('docker', ['ps', '-aq', '--filter', `name=daemonspec-check-${cli.pid}-`], { encoding: 'utf8' });
    expect(containers.stdout.trim()).toBe('');
    expect(cli.tagged()).toEqual([]);
    expect(readdirSync(cli.tmp)).toEqual([]);
  });
});
