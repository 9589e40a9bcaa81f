import { describe, expect, it } from 'vitest';
import { DaemonspecError } from '../../src/errors.js';
import { checkDaemon } from '../../src/isolation/index.js';

/*
 * checkDaemon() from plain JavaScript (a new user's probe): a command given as one string was
 * taken letter by letter ("command not found: s is not in PATH"), a number in it or null options
 * threw a TypeError. Each is refused with EUSAGE, before anything starts, saying what to pass.
 */
const loose = <T>(value: unknown): T => value as T;

describe('checkDaemon() refuses a command or options of the wrong shape', () => {
  it.each([
    ['a string', () => checkDaemon(loose('sleep 1')), 'checkDaemon() takes the command as an array: pass ["sleep","1"], not "sleep 1"'],
    ['nothing', () => checkDaemon(loose(undefined)), 'checkDaemon() needs the command as a non-empty array of strings, such as ["/usr/sbin/mydaemon", "--pidfile", "/run/my.pid"]'],
    ['a number in it', () => checkDaemon(loose(['sleep', 1])), "checkDaemon()'s command must be strings: item 1 is number (1); pass it as a string"],
    ['null options', () => checkDaemon(['/bin/true'], loose(null)), "checkDaemon()'s options must be an object, got null"],
  ])('%s', async (_name, call, message) => {
    const error = await call().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DaemonspecError);
    expect(error).toMatchObject({ code: 'EUSAGE', refused: true, message });
  });
});
