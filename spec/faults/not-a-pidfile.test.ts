import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scene, tagged } from '../daemon/support.js';
import { runCliSync } from '../cli/run-cli.js';

/** Numbers no process can have (0; above pid_t's 2^31-1): they were read as "no pid in it", stale, and removed (a new user's probe). */
const NOT_PIDS = ['0\n', '00000\n', '12345678901234567890\n', '2147483648\n'];

/*
 * A short file with no pid in it at the pidfile path (a mistyped --pidfile naming /etc/hostname, an
 * 8-byte app.conf; found by a new user's probe) was taken for a stale pidfile: `stop` deleted it
 * and `run` wrote a pid over it. Only an empty file, one a crash left as NULs, or a pid line is a
 * pidfile; anything else is refused as a file longer than a pid line already was, and left as it is.
 */
const CONTENTS = ['PORT=80\n', 'myhost\n', '12 34\n', 'pid=123\n', ...NOT_PIDS];

describe('a short file that holds no pid, at the pidfile path', () => {
  it.each(CONTENTS)('%j: stop refuses it (exit 2, one line), status says unknown (exit 4), run refuses it (exit 2); the file is left as it is', (content) => {
    const s = scene();
    const file = s.path('app.conf');
    writeFileSync(file, content);
    const line = `daemonspec: pidfile ${file} holds ${JSON.stringify(content)}, which is not a pid: it is not a pidfile; check the path, and remove the file if nothing needs it\n`;
    const stop = runCliSync(['stop', '--pidfile', file], s.env);
    expect(stop.stderr).toBe(line);
    expect(stop.code).toBe(2);
    const status = runCliSync(['status', '--pidfile', file], s.env);
    expect(status.code, status.stderr).toBe(4);
    const run = runCliSync(['run', '--pidfile', file, '--', '/bin/sleep', '300'], s.env);
    expect(run.stderr).toBe(line);
    expect(run.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe(content);
    expect(tagged(s.tag)).toEqual([]);
  });

  // NULs after a pid: a C program that writes its whole buffer (found by a review).
  it.each(['', '\n', '\0\0\0\0', '999999\0\0\0'])('%j is a stale pidfile still: stop removes it, run replaces it', (content) => {
    const s = scene();
    const file = s.path('d.pid');
    writeFileSync(file, content);
    const stop = runCliSync(['stop', '--pidfile', file], s.env);
    expect(stop.code, stop.stderr).toBe(1);
    expect(existsSync(file)).toBe(false);
    writeFileSync(file, content);
    const run = runCliSync(['run', '--pidfile', file, '--', '/bin/sleep', '300'], s.env);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^\d+\n$/);
  });
});
