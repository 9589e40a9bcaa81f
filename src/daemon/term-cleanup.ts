import { keepsDefault } from './default-keeping-listeners.js';

/**
 * A Node daemon's default SIGTERM ends the process without running 'exit' handlers, so the
 * pidfile was left behind (`pidfile-removed`, docs/lifecycle.md). This listener keeps the default
 * meaning of SIGTERM and adds the clean-up: when it is the only SIGTERM listener, it removes the
 * pidfile, removes itself (Node then restores SIG_DFL) and raises SIGTERM again, so the daemon
 * still dies of SIGTERM. When the program has its own SIGTERM listener, it does nothing: the
 * program decides, and its exit runs the 'exit' handler that removes the pidfile.
 */
export function removePidfileOnTerm(remove: () => void): void {
  const onTerm = keepsDefault((): void => {
    if (process.listenerCount('SIGTERM') > 1) return;
    remove();
    process.off('SIGTERM', onTerm);
    process.kill(process.pid, 'SIGTERM');
  });
  process.on('SIGTERM', onTerm);
}
