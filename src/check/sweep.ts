import { constants } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect, processesWhere, processSummary, type ProcessSummary } from '../inspect/index.js';

/** How many scans in a row must find nothing of ours before a sweep ends, and the pause between two scans. */
const QUIET_SCANS = 2;
const SCAN_PAUSE_MS = 5;

const pauseCell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms`: a sweep runs where nothing else may (an exiting interrupt handler, a test's clean-up). */
function pause(ms: number): void {
  Atomics.wait(pauseCell, 0, 0, ms);
}

/** A SIGKILLed process no longer runs once it is a zombie or gone. */
function ended(pid: number): boolean {
  const summary = processSummary(pid);
  return summary === null || summary.state === 'Z';
}

/**
 * SIGKILLs every live process `ours` picks (never this one) until two scans 5 ms apart find none
 * and every process killed has ended, or until `ms` have passed. Returns the pids signalled.
 *
 * One empty scan is not enough. A process in the middle of its execve has no arguments or
 * environment to read for a moment (the kernel sets them up once the new image is mapped), so a
 * tag in its environment is not seen; an interrupted fuzz once let a daemonizer's exec run on
 * past the scan that missed it. A process killed in the middle of a fork may also leave a child
 * the scan before did not see.
 */
export function sweep(ours: (p: ProcessSummary) => boolean, ms: number): Set<number> {
  const signalled = new Set<number>();
  const deadline = Date.now() + ms;
  let quiet = 0;
  while (quiet < QUIET_SCANS && Date.now() <= deadline) {
    const found = processesWhere((p) => p.pid !== process.pid && p.state !== 'Z' && ours(p));
    for (const p of found) {
      signalled.add(p.pid);
      signalQuietly(p.pid, 'SIGKILL');
    }
    quiet = found.length === 0 && [...signalled].every(ended) ? quiet + 1 : 0;
    if (quiet < QUIET_SCANS) pause(SCAN_PAUSE_MS);
  }
  return signalled;
}

/** Whether `pid` has a handler for SIGTERM (false once it is gone). */
function catchesTerm(pid: number): boolean {
  try {
    return inspect(pid).signals.caught.includes(constants.signals.SIGTERM);
  } catch {
    return false;
  }
}

/**
 * SIGTERMs every live process `ours` picks (never this one), and waits up to `ms` for those that
 * catch SIGTERM to end: a daemon removes its pidfile and sockets, as a check's own stop lets it,
 * before a sweep's SIGKILL comes. Those that ignore it are not waited for, nor those it ends at
 * once (its default). Every pause scans again, and a process found for the first time (forked by
 * a handler, or started meanwhile) gets its SIGTERM too. Each pid signalled is added to
 * `signalled` at once (a second interrupt's count reads it).
 */
export async function askToEnd(ours: (p: ProcessSummary) => boolean, ms: number, signalled: Set<number>): Promise<void> {
  const catching = new Set<number>();
  const deadline = Date.now() + ms;
  for (;;) {
    const found = processesWhere((p) => p.pid !== process.pid && p.state !== 'Z' && !signalled.has(p.pid) && ours(p));
    for (const p of found) {
      if (catchesTerm(p.pid)) catching.add(p.pid);
      signalled.add(p.pid);
      signalQuietly(p.pid, 'SIGTERM');
    }
    if ((found.length === 0 && [...catching].every(ended)) || Date.now() >= deadline) return;
    await sleep(SCAN_PAUSE_MS);
  }
}

/** Sends `name` to `pid`; a process gone already is no error. */
export function signalQuietly(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}
