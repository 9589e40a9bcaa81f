import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Issue 17.3: one word per thing. Each concept has one definition under one name, OS numbers live
 * in the ffi constants files, and only the inspector (and the doctor's probes of this machine)
 * read /proc.
 */
function files(dir: string, extensions: readonly string[] = ['.ts']): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), extensions) : extensions.some((ext) => e.name.endsWith(ext)) ? [join(dir, e.name)] : [],
  );
}
const SRC = files('src').map((path) => ({ path, text: readFileSync(path, 'utf8') }));
const SCRIPTS = files('scripts', ['.ts', '.mjs', '.cjs', '.js']).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
const SPEC = files('spec').filter((path) => path !== 'spec/project/one-word.test.ts').map((path) => ({ path, text: readFileSync(path, 'utf8') }));

function definers(where: typeof SRC, pattern: RegExp): string[] {
  return where.filter((f) => pattern.test(f.text)).map((f) => f.path);
}

describe('one word per thing', () => {
  it('one resolveCommand, one readPidfile, one way to make a usage error', () => {
    expect(definers(SRC, /function resolveCommand\b/)).toEqual(['src/resolve-command.ts']);
    expect(definers(SRC, /function readPidfile\b/)).toEqual(['src/daemon/pidfile.ts']);
    expect(definers(SRC, /function usage\b/)).toEqual([]);
  });

  it('liveness has one name: isRunning (isAlive, isLive and alive are gone, scripts/ included)', () => {
    expect(definers([...SRC, ...SPEC, ...SCRIPTS], /function (isAlive|isLive|alive)\b|\bisLive as alive\b|export \{ isAlive/)).toEqual([]);
    expect(definers([...SRC, ...SPEC], /function isRunning\b/)).toEqual(['src/inspect/processes.ts']);
  });

  it('fcntl is declared once, setpriv has one path, errno and signal numbers are not written inline', () => {
    expect(definers(SRC, /(?:libc\(\)\.func|cFunc)\('int fcntl/)).toEqual(['src/ffi/libc.ts']);
    expect(SRC.filter((f) => f.text.includes("'/usr/bin/setpriv'")).map((f) => f.path)).toEqual(['src/daemon/chain.ts']);
    expect(definers(SRC, /\bkill\([^()]*,\s*[1-9]\d*\)/), 'kill() with a bare signal number: use SIGNALS.SIGKILL').toEqual([]);
    expect(definers(SRC, /syscallError\([^,]+,\s*\d+/)).toEqual([]);
    expect(definers(SRC, /\d+ \/\* ?(E[A-Z0-9]+|F_[A-Z]+|O_[A-Z]+) ?\*\//)).toEqual([]);
  });

  it('isRunning is never handed to filter/some/every as a bare callback (its second parameter, a start time, would get the index)', () => {
    const bare = /\.(?:filter|some|every|find|map)\(\s*isRunning\s*\)/;
    expect(definers([...SRC, ...SPEC, ...SCRIPTS], bare)).toEqual([]);
  });

  it('only the inspector and the doctor read /proc (daemon/pidfile.ts goes through inspect)', () => {
    const readers = SRC.filter((f) => /(readFileSync|readdirSync|statSync|readlinkSync)\([`'"]\/proc/.test(f.text)).map((f) => f.path);
    // ffi/platform.ts reads /proc/self/maps for which C library to load: below inspect, which needs that library.
    const elsewhere = readers.filter((p) => !p.startsWith('src/inspect/') && !p.startsWith('src/doctor/'));
    expect(elsewhere).toEqual(['src/ffi/platform.ts']);
    const platform = SRC.find((f) => f.path === 'src/ffi/platform.ts')!.text;
    expect(new Set(platform.match(/\/proc\/[\w/]+/g))).toEqual(new Set(['/proc/self/maps']));
  });
});
