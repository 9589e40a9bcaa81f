import type { CheckOptions, CheckReport } from '../check/report-types.js';
import { DaemonspecError } from '../errors.js';
import type { IsolatedCheck, IsolationBackend } from './types.js';

type CheckDaemon = (command: readonly string[], options?: CheckOptions) => Promise<CheckReport>;

/** The checker in this process, as the daemon's subreaper on this machine. */
export const hostBackend: IsolationBackend = {
  name: 'host',
  async run(check: IsolatedCheck): Promise<CheckReport> {
    // Imported lazily: src/check/ imports this module for --isolation, not the other way round.
    const { checkDaemon } = (await import('../check/index.js')) as unknown as { checkDaemon?: CheckDaemon };
    if (typeof checkDaemon !== 'function') {
      throw new DaemonspecError('EUNSUPPORTED', 'this build of daemonspec has no checker (src/check/ exports no checkDaemon)');
    }
    const report = await checkDaemon([...check.command], { ...check.options, isolation: 'host' });
    return { ...report, isolation: 'host' };
  },
};
