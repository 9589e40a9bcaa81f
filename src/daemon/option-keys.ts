import { usageError } from '../errors.js';
import type { DaemonOptions, DaemonizeOptions, SpawnDaemonOptions } from './options.js';

/*
 * The options each entry takes, so that one it does not take is refused before anything starts: a
 * misspelt `pidFile` used to be ignored, and the daemon ran with no pidfile that `stop` could find.
 * The tables are checked against the option types (a key added to a type must be added here).
 */

const DAEMON: Record<keyof DaemonOptions, true> = {
  pidfile: true,
  stdout: true,
  stderr: true,
  cwd: true,
  umask: true,
  user: true,
  group: true,
  keepFds: true,
  env: true,
  clearEnv: true,
  timeout: true,
  notify: true,
  chroot: true,
};

const SPAWN_DAEMON: Record<keyof SpawnDaemonOptions, true> = { ...DAEMON, readyLog: true, readyTcp: true, readyFile: true, aliveFor: true };
const DAEMONIZE: Record<keyof DaemonizeOptions, true> = { ...DAEMON, manualReady: true };

const KNOWN = { spawnDaemon: Object.keys(SPAWN_DAEMON), daemonize: Object.keys(DAEMONIZE) } as const;
/** Options an entry does not take that are refused later with their own reason (readiness conditions in daemonize(): it reports ready itself). */
const REFUSED_LATER = { spawnDaemon: [], daemonize: ['readyLog', 'readyTcp', 'readyFile', 'aliveFor'] } as const satisfies Record<keyof typeof KNOWN, readonly (keyof SpawnDaemonOptions)[]>;

/** Folds case and `_`/`-`, so that `pid_file` and `pidFile` find `pidfile`. */
function folded(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** Refuses (EUSAGE) an option `entry` does not take, naming the one meant or the ones it takes. */
export function checkOptionKeys(options: object, entry: keyof typeof KNOWN): void {
  const known = KNOWN[entry];
  for (const key of Object.keys(options)) {
    if (known.includes(key) || (REFUSED_LATER[entry] as readonly string[]).includes(key)) continue;
    const meant = known.find((name) => folded(name) === folded(key));
    const fix = meant !== undefined ? `did you mean ${meant}?` : `its options are ${known.join(', ')}`;
    throw usageError(`${entry}() has no option ${JSON.stringify(key)}: ${fix}`);
  }
}
