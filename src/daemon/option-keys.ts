import { usageError } from '../errors.js';
import type { DaemonOptions, DaemonizeOptions, SpawnDaemonOptions } from './options.js';

/*
 * The options each entry takes, so that one it does not take is refused before anything starts: a
 * misspelt `pidFile` used to be ignored, and the daemon ran with no pidfile that `stop` could find.
 * The tables are checked against the option types (a key added to a type must be added here), and
 * say what type of value each takes.
 */

/** What an option's value must be, checked before anything starts (plain JavaScript passes anything). */
type Kind = 'text' | 'boolean' | 'number' | 'name' | 'array' | 'object' | 'pattern';

const DAEMON: Record<keyof DaemonOptions, Kind> = {
  pidfile: 'text',
  stdout: 'text',
  stderr: 'text',
  cwd: 'text',
  umask: 'number',
  user: 'name',
  group: 'name',
  keepFds: 'array',
  env: 'object',
  clearEnv: 'boolean',
  timeout: 'number',
  notify: 'boolean',
  chroot: 'text',
};

const SPAWN_DAEMON: Record<keyof SpawnDaemonOptions, Kind> = { ...DAEMON, readyLog: 'pattern', readyTcp: 'text', readyFile: 'text', aliveFor: 'number' };
const DAEMONIZE: Record<keyof DaemonizeOptions, Kind> = { ...DAEMON, manualReady: 'boolean' };
const KINDS: Record<keyof typeof KNOWN, Readonly<Record<string, Kind>>> = { spawnDaemon: SPAWN_DAEMON, daemonize: DAEMONIZE };

const WANTED: Record<Kind, string> = {
  text: 'a string',
  boolean: 'true or false',
  number: 'a number',
  name: 'a name or a number',
  array: 'an array',
  object: 'an object',
  pattern: 'a string or a RegExp',
};

function isKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'text':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number';
    case 'name':
      return typeof value === 'string' || typeof value === 'number';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'pattern':
      return typeof value === 'string' || value instanceof RegExp;
  }
}

/** How a value reads in a message: its JSON where short, else its type. */
function shown(value: unknown): string {
  if (value === null || Array.isArray(value)) return JSON.stringify(value) ?? String(value);
  return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' || typeof value === 'function' ? typeof value : String(value);
}

const KNOWN = { spawnDaemon: Object.keys(SPAWN_DAEMON), daemonize: Object.keys(DAEMONIZE) } as const;
/** Options an entry does not take that are refused later with their own reason (readiness conditions in daemonize(): it reports ready itself). */
const REFUSED_LATER = { spawnDaemon: [], daemonize: ['readyLog', 'readyTcp', 'readyFile', 'aliveFor'] } as const satisfies Record<keyof typeof KNOWN, readonly (keyof SpawnDaemonOptions)[]>;

/** Folds case and `_`/`-`, so that `pid_file` and `pidFile` find `pidfile`. */
function folded(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/**
 * Refuses (EUSAGE) options that are no object, an option `entry` does not take (naming the one
 * meant or the ones it takes), and a value of the wrong type (`clearEnv: 'false'` cleared the
 * environment; `user: {}` reached koffi: a new user's probe).
 */
export function checkOptionKeys(options: unknown, entry: keyof typeof KNOWN): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw usageError(`${entry}()'s options must be an object, got ${shown(options)}: pass { pidfile: ... }, or nothing`);
  }
  const known = KNOWN[entry];
  for (const [key, value] of Object.entries(options)) {
    const kind = KINDS[entry][key];
    if (kind !== undefined) {
      // null is "the default", as undefined: `?? default` takes both.
      if (value !== undefined && value !== null && !isKind(value, kind)) throw usageError(`${entry}() option ${key} must be ${WANTED[kind]}, got ${shown(value)}`);
      continue;
    }
    if ((REFUSED_LATER[entry] as readonly string[]).includes(key)) continue;
    const meant = known.find((name) => folded(name) === folded(key));
    const fix = meant !== undefined ? `did you mean ${meant}?` : `its options are ${known.join(', ')}`;
    throw usageError(`${entry}() has no option ${JSON.stringify(key)}: ${fix}`);
  }
}
