/*
 * daemonspec's own signal listeners keep a signal's default meaning: the process still dies of it
 * (the start's interrupt guard raises it again once the start is undone; a daemon's SIGTERM
 * clean-up raises SIGTERM again once its pidfile is removed). A listener of the program's own
 * changes that meaning: the program has heard the signal, and it decides what happens.
 */

const keepingDefault = new WeakSet<object>();

/** Marks one of daemonspec's listeners as keeping the signal's default meaning; returns it. */
export function keepsDefault<T extends (...args: never[]) => void>(listener: T): T {
  keepingDefault.add(listener);
  return listener;
}

/** Whether the program listens for `signal` itself (a listener that is not daemonspec's own). */
export function programListens(signal: NodeJS.Signals): boolean {
  return process.listeners(signal).some((listener) => !keepingDefault.has(listener));
}
