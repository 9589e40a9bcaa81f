import { DaemonspecError } from '../errors.js';

const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface InterruptGuard {
  /** Rejects (with the start's undo still to do) when one of INTERRUPTS arrives. */
  interrupted: Promise<never>;
  /** Races a wait with the interrupt. */
  wait<T>(promise: Promise<T>): Promise<T>;
  /** Removes the handlers; if a signal was caught, raises it again now that the start is undone. */
  dispose(): void;
}

/**
 * While the start waits, SIGINT/SIGTERM/SIGHUP to this process must not leave the outer sh, an
 * unready daemon or the pidfile behind: the handlers turn the signal into a failed start (the
 * usual undo path), and once that is done the signal is raised again with the handlers removed,
 * so the caller still dies of it (unless it installed handlers of its own). Signals that come
 * during the undo are absorbed: the first one decides.
 */
export function interruptGuard(): InterruptGuard {
  let caught: NodeJS.Signals | null = null;
  let reject!: (error: DaemonspecError) => void;
  const interrupted = new Promise<never>((_, r) => {
    reject = r;
  });
  interrupted.catch(() => undefined);
  const handler = (signal: NodeJS.Signals): void => {
    if (caught !== null) return;
    caught = signal;
    reject(new DaemonspecError('EDIED', `the start was interrupted by ${signal}: the daemon was killed and its pidfile removed`));
  };
  // process.on, not once: a second signal during the undo (a double Ctrl-C) would otherwise meet the
  // default action and kill this process with the daemon or the pidfile still there.
  for (const signal of INTERRUPTS) process.on(signal, handler);
  return {
    interrupted,
    wait: <T>(promise: Promise<T>) => Promise.race([promise, interrupted]),
    dispose() {
      for (const signal of INTERRUPTS) process.removeListener(signal, handler);
      if (caught !== null) process.kill(process.pid, caught);
    },
  };
}
