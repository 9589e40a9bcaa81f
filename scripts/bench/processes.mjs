/**
 * Process plumbing for the benchmarks: start a command, time it to "daemon ready", and make
 * sure that everything it started is gone afterwards.
 *
 * Every process a benchmark starts carries DAEMONSPEC_BENCH=<tag> in its environment (all the
 * peers pass the environment through). Cleanup kills every process with that tag, then checks
 * that none is left: a benchmark that leaks a daemon fails instead of skewing the next case.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { environOf, statFields } from '../../spec/support/environ.mjs';
import { killUntilGone } from '../../spec/support/wait.mjs';

/**
 * A live process found by its tag (cmdline: its arguments joined by spaces).
 * @typedef {{ pid: number, cmdline: string }} TaggedProcess
 */

/**
 * @typedef {object} LaunchOptions
 * @property {string} [tag] DAEMONSPEC_BENCH's value in the process's environment (unset when omitted)
 * @property {NodeJS.ProcessEnv} [env] added to this process's environment
 * @property {string} [cwd]
 * @property {() => boolean} [ready] polled; the launch resolves once it is true (default: at once)
 * @property {number} [timeoutMs] rejects when not ready by then (default 15 s)
 * @property {string} [watchDir] a directory whose changes trigger a readiness check (the pidfile's)
 * @property {boolean} [untilExit] also wait for the original process to exit (default true)
 */

/**
 * What launchUntilReady() resolves: exitCode 0 and signal null when it resolved before the
 * original process exited (`untilExit: false`).
 * @typedef {{ ms: number, exitCode: number | null, signal: NodeJS.Signals | null, stderr: string }} LaunchResult
 */

/**
 * @typedef {object} RunOptions
 * @property {NodeJS.ProcessEnv} [env] added to this process's environment
 * @property {string} [cwd]
 * @property {string} [tag] when given, DAEMONSPEC_BENCH's value in the process's environment
 * @property {number} [timeoutMs] SIGKILLed after this long (default 10 min)
 */

/** @typedef {{ exitCode: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }} RunResult */

export const BENCH_MARKER = 'DAEMONSPEC_BENCH';
let counter = 0;

/**
 * A fresh tag for one trial.
 * @param {string} [prefix]
 * @returns {string}
 */
export function newTag(prefix = 't') {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/**
 * Live (non-zombie) processes whose environment holds DAEMONSPEC_BENCH=tag (or starts with tag
 * when prefix). A process inside execve() is read once its exec ends (environOf): until then its
 * environment reads empty, and a tagged daemon caught there was once missed and left running.
 * @param {string} tag
 * @param {{ prefix?: boolean }} [options]
 * @returns {TaggedProcess[]}
 */
export function processesWithTag(tag, { prefix = false } = {}) {
  /** @type {TaggedProcess[]} */
  const found = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const hit = environOf(pid).some((v) => (prefix ? v.startsWith(`${BENCH_MARKER}=${tag}`) : v === `${BENCH_MARKER}=${tag}`));
      if (!hit || statFields(pid)[0] === 'Z') continue;
      found.push({ pid, cmdline: readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim() });
    } catch {
      // gone, or not readable
    }
  }
  return found;
}

/**
 * SIGKILLs every process tagged `tag`, waits until none is left; throws naming any survivor.
 * @param {string} tag
 * @param {{ prefix?: boolean }} [opts] as processesWithTag()'s
 * @returns {Promise<number[]>} the pids it killed
 */
export async function killTagged(tag, opts = {}) {
  /** @type {Set<number>} */
  const killed = new Set();
  const listed = () => {
    const left = processesWithTag(tag, opts);
    for (const { pid } of left) killed.add(pid);
    return left;
  };
  const survivors = await killUntilGone(listed, (p) => p.pid, { timeoutMs: 5_000, intervalMs: 5, signal: 'SIGKILL' });
  if (survivors.length > 0) throw new Error(`could not stop: ${survivors.map((p) => `${p.pid} ${p.cmdline}`).join('; ')}`);
  return [...killed];
}

/**
 * A fresh working directory; `dispose()` removes it.
 * @param {string} [prefix]
 * @returns {{ dir: string, dispose: () => void }}
 */
export function workDir(prefix = 'daemonspec-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The pid in a pidfile, when the file holds one and that process is alive; else null.
 * @param {string} pidfile
 * @returns {number | null}
 */
export function livePid(pidfile) {
  let text;
  try {
    text = readFileSync(pidfile, 'utf8');
  } catch {
    return null;
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * Starts argv with the tag in its environment, stdio on /dev/null (stderr kept for errors), and
 * resolves when the original process has exited AND `ready()` is true (for a daemon: its
 * pidfile names a live process). Resolves { ms, exitCode, signal, stderr }.
 * The clock starts just before spawn and stops when both conditions hold.
 * @param {readonly string[]} argv
 * @param {LaunchOptions} [options]
 * @returns {Promise<LaunchResult>}
 */
export function launchUntilReady(argv, { tag, env = {}, cwd, ready = () => true, timeoutMs = 15_000, watchDir, untilExit = true } = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    /** @type {{ exitCode: number | null, signal: NodeJS.Signals | null } | null} */
    let exited = null;
    let stderr = '';
    let done = false;
    /** @type {import('node:fs').FSWatcher | null} */
    let watcher = null;
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    /**
     * @param {Error | null} error
     * @param {LaunchResult} [value] given when error is null
     */
    const finish = (error, value) => {
      if (done) return;
      done = true;
      watcher?.close();
      clearTimeout(timer);
      clearInterval(poll);
      if (error) reject(error);
      else resolve(/** @type {LaunchResult} */ (value));
    };
    const check = () => {
      if (done || (untilExit && exited === null)) return;
      if (!ready()) return;
      finish(null, { ms: Number(process.hrtime.bigint() - start) / 1e6, exitCode: 0, signal: null, ...exited, stderr });
    };
    const child = spawn(argv[0], argv.slice(1), {
      env: { ...process.env, ...env, [BENCH_MARKER]: tag },
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    child.on('error', (error) => finish(error));
    child.on('exit', (exitCode, signal) => {
      exited = { exitCode, signal };
      check();
    });
    // inotify on the pidfile's directory for promptness, a slow poll as a safety net.
    if (watchDir) watcher = watch(watchDir, () => check());
    const poll = setInterval(check, 1);
    timer = setTimeout(
      () => finish(new Error(`${argv.join(' ')}: not ready after ${timeoutMs} ms (exited: ${JSON.stringify(exited)}; stderr: ${stderr.trim()})`)),
      timeoutMs,
    );
  });
}

/**
 * Runs argv to completion; resolves { exitCode, signal, stdout, stderr }.
 * @param {readonly string[]} argv
 * @param {RunOptions} [options]
 * @returns {Promise<RunResult>}
 */
export function run(argv, { env = {}, cwd, tag, timeoutMs = 600_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      env: { ...process.env, ...env, ...(tag ? { [BENCH_MARKER]: tag } : {}) },
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr });
    });
  });
}

/**
 * Peak resident set size (VmHWM) of a live process, in KiB, or null.
 * @param {number} pid
 * @returns {number | null}
 */
export function peakRssKiB(pid) {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
