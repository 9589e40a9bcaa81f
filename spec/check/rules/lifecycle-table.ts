/** Life-cycle observations for the rule tables: a correct daemon's, with changes. */
import type { LifecycleObservations, StaleCase, StartObservation, StopObservation } from '../../../src/check/lifecycle/observations.js';
import type { ContextChanges } from './table.js';

export const PIDFILE = '/run/x.pid';

/** The judged daemon of table.ts is pid 702. */
const OK_START: StartObservation = { exitCode: 0, signal: null, timedOut: false, lastLines: [] };
export const REFUSED: StartObservation = { exitCode: 1, signal: null, timedOut: false, lastLines: ['x: already running'] };

export const STOPPED: StopObservation = {
  how: 'SIGTERM',
  stopCommand: null,
  stopCommandExit: null,
  stopCommandOutput: [],
  deadlineMs: 5000,
  targets: [702, 703],
  survivors: [],
  pidfileAfter: null,
};

export function staleCase(kind: StaleCase['kind'], changes: Partial<StaleCase> = {}): StaleCase {
  return { kind, pidfileBefore: kind === 'empty' ? '' : '702\n', setupNote: null, start: OK_START, newDaemon: kind === 'empty' ? 811 : 810, pidfileAfter: '810\n', ...changes };
}

export function observations(changes: Partial<LifecycleObservations> = {}): LifecycleObservations {
  return {
    pidfileAtExit: '702\n',
    secondStart: { start: REFUSED, firstAlive: true, pidfileBefore: '702\n', pidfileAfter: '702\n', secondDaemons: [] },
    stop: STOPPED,
    stale: { notJudged: null, cases: [staleCase('killed'), staleCase('empty')] },
    notRun: 'no daemon',
    ...changes,
  };
}

/** The context changes of a life-cycle check with the pidfile given. */
export function lifecycle(changes: Partial<LifecycleObservations> = {}, more: ContextChanges = {}): ContextChanges {
  return { expect: { pidfile: PIDFILE }, lifecycle: observations(changes), ...more };
}
