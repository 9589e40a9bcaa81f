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

export const BENCH_MARKER = 'DAEMONSPEC_BENCH';
let counter = 0;

/** A fresh tag for one trial. */
export function newTag(prefix = 't') {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/** Live (non-zombie) processes whose environment holds DAEMONSPEC_BENCH=tag (or starts with tag when prefix). */
export function processesWithTag(tag, { prefix = false } = {}) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
      const hit = env.some((v) => (prefix ? v.startsWith(`${BENCH_MARKER}=${tag}`) : v === `${BENCH_MARKER}=${tag}`));
      if (!hit) continue;
      const state = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ').pop()?.[0];
      if (state === 'Z') continue;
      found.push({ pid, cmdline: readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim() });
    } catch {
      // gone, or not readable
    }
  }
  return found;
}

/** Waits for a predicate with a deadline; on timeout throws with what it last saw. */
export async function waitFor(predicate, { timeoutMs = 10_000, intervalMs = 2, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await predicate();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** SIGKILLs every process tagged `tag`, waits until none is left; throws naming any survivor. */
export async function killTagged(tag, opts = {}) {
  const killedAny = [];
  await waitFor(
    () => {
      const left = processesWithTag(tag, opts);
      for (const { pid } of left) {
        try {
          process.kill(pid, 'SIGKILL');
          killedAny.push(pid);
        } catch {
          // already gone
        }
      }
      return left.length === 0;
    },
    { timeoutMs: 5_000, intervalMs: 5, what: `processes tagged ${tag} to exit` },
  ).catch(() => {
    const left = processesWithTag(tag, opts);
    throw new Error(`could not stop: ${left.map((p) => `${p.pid} ${p.cmdline}`).join('; ')}`);
  });
  return [...new Set(killedAny)];
}

/** A fresh working directory; `dispose()` removes it. */
export function workDir(prefix = 'daemonspec-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The pid in a pidfile, when the file holds one and that process is alive; else null. */
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
 */
export function launchUntilReady(argv, { tag, env = {}, cwd, ready = () => true, timeoutMs = 15_000, watchDir, untilExit = true } = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    let exited = null;
    let stderr = '';
    let done = false;
    let watcher = null;
    let timer = null;
    const finish = (error, value) => {
      if (done) return;
      done = true;
      watcher?.close();
      clearTimeout(timer);
      clearInterval(poll);
      if (error) reject(error);
      else resolve(value);
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
    child.stderr.on('data', (chunk) => {
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

/** Runs argv to completion; resolves { exitCode, signal, stdout, stderr }. */
export function run(argv, { env = {}, cwd, tag, timeoutMs = 600_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      env: { ...process.env, ...env, ...(tag ? { [BENCH_MARKER]: tag } : {}) },
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
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

/** Peak resident set size (VmHWM) of a live process, in KiB, or null. */
export function peakRssKiB(pid) {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
