import { DaemonspecError } from '../errors.js';
import { keepsDefault, programListens } from './default-keeping-listeners.js';

const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface InterruptGuard {
  /** Rejects (with the start's undo still to do) when one of INTERRUPTS arrives. */
  interrupted: Promise<never>;
  /** Races a wait with the interrupt. */
  wait<T>(promise: Promise<T>): Promise<T>;
  /**
   * Ends the guard. When it was the last, resolves once the listener is gone; a signal caught
   * meanwhile that the program does not listen for is raised again before then, so the program
   * dies of it before its start settles. If another start began meanwhile, that start fails at
   * once on such a signal, and the signal is raised once it is undone.
   */
  dispose(): Promise<void>;
}

/** The guards of the starts under way, each told of an interrupt. */
const guards = new Set<(signal: NodeJS.Signals) => void>();
/** The interrupts caught while starts were under way, first one first, each with whether the program heard it too (a listener of its own). */
const caught = new Map<NodeJS.Signals, boolean>();

/**
 * One listener per signal for all the starts of the process (twelve parallel starts would warn of a
 * leak), put first: whether the program listens is asked before a `process.once` listener of its
 * own has removed itself.
 */
const onInterrupt = keepsDefault((signal: NodeJS.Signals): void => {
  // Heard only while every copy so far was: a second copy after a `process.once` listener went is not.
  caught.set(signal, (caught.get(signal) ?? true) && programListens(signal));
  for (const guard of guards) guard(signal);
});

/** Whether onInterrupt is in place (from the first start until the loop has turned after the last one ended). */
let listening = false;

/** Forgets the caught signals the program heard (its listener handled them), keeping those due again. */
function forgetHeard(): void {
  for (const [signal, heard] of caught) if (heard) caught.delete(signal);
}

/** The first caught signal the program did not hear: raised again once every start is undone. */
function dueAgain(): NodeJS.Signals | null {
  for (const [signal, heard] of caught) if (!heard) return signal;
  return null;
}

/**
 * While the start waits, SIGINT/SIGTERM/SIGHUP to this process must not leave the outer sh, an
 * unready daemon or the pidfile behind: the handler turns the signal into a failed start (the
 * usual undo path) for every start under way, and once the last of them is undone the signal is
 * raised again with the handler removed, so the caller still dies of it. Not when the program
 * listens for that signal itself: its listener has heard it, and a second copy would make it
 * hear one signal twice and interrupt the program's next start. Signals that come during the
 * undo are absorbed: the first one the program did not hear is raised (a SIGTERM after a SIGINT the
 * program handles still ends it), and a start begun while one is due fails at once.
 */
export function interruptGuard(): InterruptGuard {
  let reject!: (error: DaemonspecError) => void;
  const interrupted = new Promise<never>((_, r) => {
    reject = r;
  });
  interrupted.catch(() => undefined);
  let told = false;
  const guard = (signal: NodeJS.Signals): void => {
    if (told) return;
    told = true;
    reject(new DaemonspecError('EDIED', `the start was interrupted by ${signal}: the daemon was killed and its pidfile removed`));
  };
  // A listener, not once: a second signal during the undo (a double Ctrl-C) would otherwise meet the
  // default action and kill this process with the daemon or the pidfile still there.
  if (!listening) for (const signal of INTERRUPTS) process.prependListener(signal, onInterrupt);
  listening = true;
  // The first start after the others ended (its listener maybe still there, to be removed after the
  // loop's next poll): a signal the program heard then was the program's; the same signal now is asked anew.
  if (guards.size === 0) forgetHeard();
  guards.add(guard);
  const due = dueAgain();
  if (due !== null) guard(due);
  return {
    interrupted,
    wait: <T>(promise: Promise<T>) => Promise.race([promise, interrupted]),
    async dispose() {
      if (guards.delete(guard) && guards.size === 0) await afterNextPoll(stopListening);
    },
  };
}

/**
 * Once no start is under way: the listener goes, and the first caught signal the program did not
 * hear is raised again. Not at once: a signal whose handler has run may still wait in libuv's
 * signal pipe, and its listener runs only when the loop reads the pipe (two signals in one read:
 * the first one's undo can end in its own microtasks, before the second is dispatched). Removed
 * first, the listener would miss it, Node would drop it, and the program would live on.
 */
function stopListening(): void {
  if (guards.size > 0 || !listening) return; // a start began meanwhile, or another dispose did it
  listening = false;
  for (const signal of INTERRUPTS) process.removeListener(signal, onInterrupt);
  const signal = dueAgain();
  caught.clear();
  if (signal !== null) process.kill(process.pid, signal);
}

/** Runs `fn` after the event loop's next poll phase (two check phases, with a poll between them), and resolves. */
function afterNextPoll(fn: () => void): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(() =>
      setImmediate(() => {
        fn();
        resolve();
      }),
    );
  });
}
