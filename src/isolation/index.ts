import type { CheckOptions, CheckReport } from '../check/report-types.js';
import { DaemonspecError } from '../errors.js';
import { checkCommandShape } from '../check/command-shape.js';
import { dockerBackend } from './docker.js';
import { hostBackend } from './host.js';
import { namespaceBackend } from './namespace.js';
import { isolationForCaller } from './subreaper.js';
import { validateCaller } from '../check/caller-spec.js';
import { beforeStart } from '../daemon/refused.js';
import { ISOLATION_NAMES, type IsolatedCheck, type IsolationBackend, type IsolationName } from './types.js';

export { CONTAINER_LABEL, dockerRunArgs, ensureDocker, removeContainer } from './docker.js';
export { checkArgv } from './check-argv.js';
export { namespaceCommand } from './namespace.js';
export { CONTAINER_ROOT, CONTAINER_WORK, DEFAULT_IMAGE } from './project.js';
export { isolationAvailability, namespaceAvailability, type Availability } from './availability.js';
export { isolationForCaller, isolationSubreaper, subreaperChoices } from './subreaper.js';
export { ISOLATION_NAMES, type IsolatedCheck, type IsolationBackend, type IsolationName, type Mount } from './types.js';

/** The backend for an isolation name; throws EUSAGE listing the valid names. */
export function isolationBackend(name: string): IsolationBackend {
  switch (name) {
    case 'host':
      return hostBackend;
    case 'namespace':
      return namespaceBackend;
    case 'docker':
      return dockerBackend(false);
    case 'docker-init':
      return dockerBackend(true);
    default:
      throw new DaemonspecError('EUSAGE', `unknown isolation "${name}"; use one of ${ISOLATION_NAMES.join(', ')}`);
  }
}

/**
 * Runs one check in an isolation and returns its report, `isolation` set to where it ran.
 * `host` calls the checker in this process; `namespace` and `docker` run
 * `daemonspec check --json --isolation host` inside a PID namespace or a fresh container.
 *
 * @example
 * const report = await runIsolated('namespace', { command: ['/usr/sbin/start-stop-daemon', ...], options: { pidfile } });
 */
export function runIsolated(isolation: IsolationName, check: IsolatedCheck): Promise<CheckReport> {
  return isolationBackend(isolation).run(check);
}

/** checkDaemon proper; the package entry exports ./lazy.ts's, which loads this on first call and documents it. */
export async function checkDaemon(command: readonly string[], options: CheckOptions = {}): Promise<CheckReport> {
  const { backend, caller } = await beforeStart(() => {
    checkCommandShape(command, options, 'checkDaemon');
    const caller = options.caller === undefined ? undefined : validateCaller(options.caller);
    return { backend: isolationBackend(isolationForCaller(options.isolation ?? 'host', caller)), caller };
  });
  return backend.run({ command, options: { ...options, caller } });
}
