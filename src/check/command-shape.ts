import { usageError } from '../errors.js';

/**
 * The command as an argv array of strings, and options as an object: from plain JavaScript,
 * `checkDaemon('sleep 1')` was taken letter by letter ("s is not in PATH") and `null` options
 * threw a TypeError (a new user's probe). `fn` is the library function the caller called.
 */
export function checkCommandShape(command: unknown, options: unknown, fn: 'checkDaemon' | 'fuzzDaemon'): void {
  if (typeof command === 'string') throw usageError(`${fn}() takes the command as an array: pass ${JSON.stringify(command.split(/\s+/).filter(Boolean))}, not ${JSON.stringify(command)}`);
  if (!Array.isArray(command) || command.length === 0) throw usageError(`${fn}() needs the command as a non-empty array of strings, such as ["/usr/sbin/mydaemon", "--pidfile", "/run/my.pid"]`);
  const bad = command.findIndex((arg) => typeof arg !== 'string');
  if (bad >= 0) throw usageError(`${fn}()'s command must be strings: item ${bad} is ${typeof command[bad]} (${String(command[bad])}); pass it as a string`);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw usageError(`${fn}()'s options must be an object, got ${options === null ? 'null' : typeof options}`);
}
