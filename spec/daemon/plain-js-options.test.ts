import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { daemonized, daemonStatus, runAsDaemon, spawnDaemon, stopDaemon } from '../../src/daemon/index.js';
import { DaemonspecError } from '../../src/errors.js';
import { scene, tagged } from './support.js';

/*
 * The library from plain JavaScript, where nothing checks types (a new user's probe): a value of
 * the wrong type gave a raw TypeError (`argsGiven.map is not a function`, koffi's "Unexpected
 * Object value"), or was taken at its truthiness (`clearEnv: 'false'` cleared the environment;
 * `notify: 'yes'` waited 30 s), or was cut (`env: { A: 'x\0y' }` became "x"). Each is now refused
 * with EUSAGE before anything starts, in words that say what to give.
 */
type Call = (s: { path: (name: string) => string; env: Record<string, string> }) => Promise<unknown>;
const loose = <T>(value: unknown): T => value as T;

const cases: [string, Call, RegExp][] = [
  ['spawnDaemon args as a string', (s) => spawnDaemon('/bin/sleep', loose('300'), { env: s.env }), /^the arguments must be an array of strings or Buffers, got string: pass \['300'\], not '300'$/],
  ['spawnDaemon options null', () => spawnDaemon('/bin/sleep', ['300'], loose(null)), /^spawnDaemon\(\)'s options must be an object, got null: pass \{ pidfile: \.\.\. \}, or nothing$/],
  ['user as an object', (s) => spawnDaemon('/bin/sleep', ['300'], loose({ user: {}, env: s.env })), /^spawnDaemon\(\) option user must be a name or a number, got object$/],
  ["clearEnv: 'false'", (s) => spawnDaemon('/bin/sleep', ['300'], loose({ clearEnv: 'false', env: s.env })), /^spawnDaemon\(\) option clearEnv must be true or false, got "false"$/],
  ["notify: 'yes'", (s) => spawnDaemon('/bin/sleep', ['300'], loose({ notify: 'yes', env: s.env })), /^spawnDaemon\(\) option notify must be true or false, got "yes"$/],
  ['timeout as a string', (s) => spawnDaemon('/bin/sleep', ['300'], loose({ timeout: '5s', env: s.env })), /^spawnDaemon\(\) option timeout must be a number, got "5s"$/],
  ['keepFds as a number', (s) => spawnDaemon('/bin/sleep', ['300'], loose({ keepFds: 3, env: s.env })), /^spawnDaemon\(\) option keepFds must be an array, got 3$/],
  ['a NUL in an environment value', (s) => spawnDaemon('/bin/sleep', ['300'], { env: { ...s.env, A: 'x\0y' } }), /^environment variable A holds a NUL character, which the environment cannot carry/],
  ['an object as an environment value', (s) => spawnDaemon('/bin/sleep', ['300'], loose({ env: { ...s.env, A: { b: 1 } } })), /^environment variable A must be a string \(or null\/undefined to remove it\), got object$/],
  ['runAsDaemon without a function', () => runAsDaemon(loose('hello')), /^runAsDaemon\(\) needs the function to run as the daemon, got string$/],
  ['daemonized without a function', () => Promise.resolve().then(() => daemonized(loose<() => unknown>(42))), /^daemonized\(\) needs the function to run as the daemon, got number$/],
  ['stopDaemon without options', () => stopDaemon(loose(undefined)), /^stopDaemon\(\) needs \{ pidfile: PATH \}: the pidfile option is missing or not a path$/],
  ['daemonStatus with the path alone', () => Promise.resolve().then(() => daemonStatus(loose('/x.pid'))), /^daemonStatus\(\) needs \{ pidfile: PATH \}: pass \{ pidfile: "\/x\.pid" \}, not the path alone$/],
];

describe('the library refuses values of the wrong type before anything starts (EUSAGE)', () => {
  it.each(cases)('%s', async (_name, call, message) => {
    const s = scene();
    const error = await call(s).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DaemonspecError);
    expect((error as DaemonspecError).code).toBe('EUSAGE');
    expect((error as DaemonspecError).refused).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect(tagged(s.tag)).toEqual([]);
  });

  it('null for an option is its default, as undefined (a review: it was refused)', async () => {
    const s = scene();
    const started = await spawnDaemon('/bin/sleep', ['300'], loose({ timeout: null, umask: null, notify: null, keepFds: null, pidfile: s.path('d.pid'), env: s.env }));
    expect(tagged(s.tag)).toEqual([started.pid]);
  });

  it('daemonize(null) in a script: exit 2 and one line, no stack, nothing started', () => {
    const s = scene();
    const script = s.path('d.mjs');
    const lib = pathToFileURL(join(import.meta.dirname, '../../dist/bundle/index.js')).href;
    writeFileSync(script, `import { daemonize } from ${JSON.stringify(lib)};\nawait daemonize(null);\nsetInterval(() => {}, 1 << 30);\n`);
    const r = spawnSync(process.execPath, [script], { env: s.env, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe("daemonspec: daemonize()'s options must be an object, got null: pass { pidfile: ... }, or nothing\n");
    expect(r.status).toBe(2);
    expect(tagged(s.tag)).toEqual([]);
  });
});

/*
 * daemonize({ user }) runs its script again as that user: a script the user cannot read was
 * started (root spawns Node fine) and died in the daemon with Node's "Cannot find module", after
 * the start had begun (a known gap of 2026-12-04). It is refused before anything starts, as
 * `run --user` refuses a script its user cannot read.
 */
describe('daemonize({ user }) and the script it runs again', () => {
  const lib = pathToFileURL(join(import.meta.dirname, '../../dist/bundle/index.js')).href;
  const script = (s: ReturnType<typeof scene>, pidfile: string): string => {
    const path = s.path('d.mjs');
    writeFileSync(path, `import { daemonize } from ${JSON.stringify(lib)};\nawait daemonize({ user: 'nobody', pidfile: ${JSON.stringify(pidfile)} });\nsetInterval(() => {}, 1 << 30);\n`);
    return path;
  };

  it('a script the user cannot read: exit 2, one line with the fix, nothing started', () => {
    const s = scene(); // its directory is 0700, root's
    const pidfile = s.path('d.pid');
    const r = spawnSync(process.execPath, [script(s, pidfile)], { env: s.env, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toMatch(/^daemonspec: \S+\/d\.mjs is not readable by user nobody, as whom daemonize\(\) runs it again: give that user r permission on it \(and x on its directories\), or daemonize as another user\n$/);
    expect(r.status).toBe(2);
    expect(existsSync(pidfile)).toBe(false);
    expect(tagged(s.tag)).toEqual([]);
  });

  it('a script the user can read: the daemon runs it as that user', () => {
    const s = scene();
    chmodSync(s.dir, 0o755);
    const pidfile = s.path('d.pid');
    const r = spawnSync(process.execPath, [script(s, pidfile)], { env: s.env, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const pid = Number(readFileSync(pidfile, 'utf8'));
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^Uid:\t65534\t65534\t65534\t65534$/m);
  });
});
