/**
 * The reference checker of issue 14.3: the steps of a check with fixed windows and nothing
 * clever, to measure `check` against. It starts the command on a fresh pty as a session leader
 * (util-linux `script`, which hangs the terminal up when the command's shell returns), settles for
 * 200 ms, reads the pidfile, inspects the daemon from /proc (stat, status, every fd), waits 300 ms
 * after the hang-up, asks whether it is still running, then sends SIGTERM and waits until it is gone.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

const SETTLE_MS = 200;
const AFTER_HANGUP_MS = 300;

/** @param {readonly string[]} argv */
function shellQuote(argv) {
  return argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
}

/**
 * The daemon as /proc shows it: what a check reads.
 * @param {number} pid
 */
function inspectProc(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const fds = readdirSync(`/proc/${pid}/fd`).map((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`));
  return { stat, status, fds, cwd: readlinkSync(`/proc/${pid}/cwd`) };
}

/**
 * Exists and is not a zombie (src/inspect's isRunning, read from /proc here as a naive reference).
 * @param {number} pid
 */
function isRunning(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * One reference check of `argv`, whose daemon writes `pidfile`; `env` marks its processes.
 * @param {readonly string[]} argv
 * @param {string} pidfile
 * @param {NodeJS.ProcessEnv} env the whole environment of the command
 */
export async function referenceCheck(argv, pidfile, env) {
  const launcher = spawn('/usr/bin/script', ['-qfec', shellQuote(argv), '/dev/null'], { env, stdio: ['pipe', 'ignore', 'ignore'] });
  await new Promise((resolve, reject) => {
    launcher.on('error', reject);
    launcher.on('exit', resolve);
  });
  await delay(SETTLE_MS);
  const pid = Number(readFileSync(pidfile, 'utf8').trim());
  const snapshot = inspectProc(pid);
  await delay(AFTER_HANGUP_MS);
  const survived = isRunning(pid);
  process.kill(pid, 'SIGTERM');
  while (isRunning(pid)) await delay(5);
  return { pid, survived, fds: snapshot.fds.length };
}

/** CPU time of this process and of its waited-for children, in ms (/proc/self/stat utime stime cutime cstime). */
export function cpuMs() {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}
