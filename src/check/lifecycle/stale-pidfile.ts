import { lstatSync, rmSync } from 'node:fs';
import { SIGNALS } from '../../ffi/constants.js';
import { isRunning } from '../../inspect/index.js';
import { pidInFile } from '../../daemon/pidfile.js';
import { replaceFile } from '../../replace-file.js';
import { scopeProcesses } from '../adopted.js';
import type { CleanupResult } from '../report-types.js';
import type { StaleCase, StaleObservation } from './observations.js';
import { pidfileText } from './read-pidfile.js';
import type { LifecycleRequest } from './request.js';
import { finish, type Start, settle, startAgain } from './start-again.js';
import { daemonAndDescendants, signalTargets, waitGone } from './wait-gone.js';

const { SIGKILL } = SIGNALS;
const KILL_GRACE_MS = 2000;

/** Collects every start's cleanup into one. */
class Cleanups {
  readonly stopped: number[] = [];
  readonly leftRunning: number[] = [];
  add(cleanup: CleanupResult): void {
    this.stopped.push(...cleanup.stopped);
    this.leftRunning.push(...cleanup.leftRunning);
  }
}

/** The pid the pidfile names, when it is a live process of this start. */
function newDaemonOf(start: Start, pidfile: string): number | null {
  const pid = pidInFile(pidfile);
  if (pid === null || !isRunning(pid)) return null;
  return scopeProcesses(start.scope).some((p) => p.pid === pid) ? pid : null;
}

/** Starts the command with the stale pidfile in place and sees whether it started a daemon. */
async function recoveryCase(request: LifecycleRequest, kind: StaleCase['kind'], setupNote: string | null, cleanups: Cleanups): Promise<StaleCase> {
  const pidfileBefore = pidfileText(request.pidfile) ?? '';
  const start = await startAgain(request);
  let candidates: number[] = [];
  try {
    candidates = (await settle(start, request.timeoutMs, request.pidfile)).candidates;
    const newDaemon = newDaemonOf(start, request.pidfile);
    return { kind, pidfileBefore, setupNote, start: start.observation, newDaemon, pidfileAfter: pidfileText(request.pidfile) };
  } finally {
    cleanups.add(await finish(start, candidates));
  }
}

/**
 * A fresh daemon, SIGKILLed with everything it started: the pidfile it leaves behind (the
 * checker writes the dead pid back if something else removed it, and says so).
 */
async function killedDaemonsPidfile(request: LifecycleRequest, cleanups: Cleanups): Promise<{ setupNote: string | null } | { notJudged: string }> {
  rmSync(request.pidfile, { force: true });
  const start = await startAgain(request);
  let candidates: number[] = [];
  try {
    const settled = await settle(start, request.timeoutMs, request.pidfile);
    candidates = settled.candidates;
    const daemon = newDaemonOf(start, request.pidfile);
    if (daemon === null) return { notJudged: `started again with no pidfile, the command ${start.observation.exitCode === 0 ? 'left no daemon named by the pidfile' : 'failed'}, so there was no daemon to kill` };
    const targets = daemonAndDescendants(start.scope, daemon);
    signalTargets(targets, SIGKILL);
    await waitGone(start.scope, targets, Date.now() + KILL_GRACE_MS);
    if (pidfileText(request.pidfile) !== null) return { setupNote: null };
    replaceFile(request.pidfile, `${daemon}\n`);
    return { setupNote: 'the pidfile did not survive the SIGKILL: something removed it; the checker wrote the dead pid back' };
  } finally {
    cleanups.add(await finish(start, candidates));
  }
}

/** Owner and mode of a regular file, or null (none there). */
interface FileOwner {
  uid: number;
  gid: number;
  mode: number;
}

function ownerOf(path: string): FileOwner | null {
  try {
    const stat = lstatSync(path);
    return stat.isFile() ? { uid: stat.uid, gid: stat.gid, mode: stat.mode & 0o7777 } : null;
  } catch {
    return null;
  }
}

/**
 * Replaces the pidfile with a 0-byte one, as a daemon that crashed between open and write leaves
 * it (never through a symlink planted there, replace-file.ts): with the owner and mode of the killed daemon's pidfile, so that a tool that dropped
 * privileges meets its own file, not one of the checker's (root's).
 */
function emptyPidfileLike(pidfile: string, owner: FileOwner | null): void {
  // Made anew and renamed into place: a remove and a write by path gave a neighbour the moment
  // between them to plant a symlink, whose target was then truncated, chowned and chmodded.
  replaceFile(pidfile, '', owner === null ? {} : { owner, mode: owner.mode });
}

/**
 * `stale-pidfile-recovered`: the command must start a daemon over the pidfile of a SIGKILLed
 * one, and over a 0-byte pidfile. Every daemon started here is stopped before this returns.
 */
export async function stalePidfile(request: LifecycleRequest): Promise<{ observation: StaleObservation; cleanup: CleanupResult }> {
  const cleanups = new Cleanups();
  const cases: StaleCase[] = [];
  let notJudged: string | null = null;
  const setup = await killedDaemonsPidfile(request, cleanups);
  if ('notJudged' in setup) {
    notJudged = setup.notJudged;
  } else {
    const killedOwner = ownerOf(request.pidfile);
    cases.push(await recoveryCase(request, 'killed', setup.setupNote, cleanups));
    emptyPidfileLike(request.pidfile, killedOwner);
    cases.push(await recoveryCase(request, 'empty', null, cleanups));
  }
  return { observation: { notJudged, cases }, cleanup: { stopped: cleanups.stopped, leftRunning: cleanups.leftRunning } };
}
