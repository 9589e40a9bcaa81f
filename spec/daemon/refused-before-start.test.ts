import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { spawnDaemon } from '../../src/daemon/index.js';
import { exitStatusOf } from '../../src/daemon/exit-status.js';
import type { SpawnDaemonOptions } from '../../src/daemon/options.js';
import { listDir, scene, tagged } from './support.js';

const packageEntry = fileURLToPath(new URL('../../dist/bundle/index.js', import.meta.url));

/*
 * Issue 16 point 3: whatever is refused before anything starts exits 2, with one line that says
 * the fix; no process is started and no pidfile (nor its temporary file) is left. A start that
 * began and failed (the daemon died, timed out) stays exit 1.
 */

interface Case {
  name: string;
  args: (dir: string) => string[];
  /** The whole stderr, one line. */
  line: (dir: string) => string;
  setup?: (dir: string) => void;
}

const cases: Case[] = [
  {
    name: 'a log in a directory that does not exist',
    args: () => ['--stdout', '/nonexistent/dir/x.log', '--', '/bin/sleep', '300'],
    line: () => 'daemonspec: cannot open stdout log /nonexistent/dir/x.log for appending (ENOENT): create the directory /nonexistent/dir first\n',
  },
  {
    name: 'a command that does not exist',
    args: () => ['--', '/no/such/binary'],
    line: () => 'daemonspec: command not found: /no/such/binary does not exist or is not a file\n',
  },
  {
    name: 'a command not in PATH',
    args: () => ['--', 'no-such-command-daemonspec'],
    line: () => 'daemonspec: command not found: no-such-command-daemonspec is not in PATH; give its absolute path\n',
  },
  {
    name: 'a working directory that does not exist',
    args: (dir) => ['--cwd', `${dir}/gone`, '--', '/bin/sleep', '300'],
    line: (dir) => `daemonspec: working directory ${dir}/gone cannot be used (ENOENT): create it or pass another --cwd\n`,
  },
  {
    name: 'a pidfile whose directory does not exist',
    args: (dir) => ['--pidfile', `${dir}/no-dir/d.pid`, '--', '/bin/sleep', '300'],
    line: (dir) => `daemonspec: the directory of pidfile ${dir}/no-dir/d.pid does not exist: create ${dir}/no-dir first\n`,
  },
  {
    name: 'a pidfile under a regular file (ENOTDIR)',
    setup: (dir) => writeFileSync(`${dir}/f`, ''),
    args: (dir) => ['--pidfile', `${dir}/f/d.pid`, '--', '/bin/sleep', '300'],
    line: (dir) => `daemonspec: the directory of pidfile ${dir}/f/d.pid is not a directory: ${dir}/f is a file; give a path inside a directory\n`,
  },
  {
    name: 'a pidfile that is another file, longer than a pid line (a config): left as it is',
    setup: (dir) => writeFileSync(`${dir}/app.conf`, 'listen = 8080\nworkers = 4\nlog = /var/log/app\n'),
    args: (dir) => ['--pidfile', `${dir}/app.conf`, '--', '/bin/sleep', '300'],
    line: (dir) =>
      `daemonspec: pidfile ${dir}/app.conf is 45 bytes, longer than a pid line (at most 32): it is not a pidfile; check the path, and remove the file if nothing needs it\n`,
  },
  {
    name: 'a stdout log at the pidfile\'s path',
    args: (dir) => ['--pidfile', `${dir}/same`, '--stdout', `${dir}/same`, '--', '/bin/sleep', '300'],
    line: (dir) => `daemonspec: the stdout log and the pidfile are one path (${dir}/same): the pidfile replaces the file at its path, so the log would go to a deleted file; give the log another path\n`,
  },
  {
    name: 'a stderr log at the pidfile\'s path, written another way (./, a symlinked directory)',
    setup: (dir) => symlinkSync(dir, `${dir}/link`),
    args: (dir) => ['--pidfile', `${dir}/same`, '--stdout', `${dir}/./x.log`, '--stderr', `${dir}/link/same`, '--', '/bin/sleep', '300'],
    line: (dir) => `daemonspec: the stderr log and the pidfile are one path (${dir}/same): the pidfile replaces the file at its path, so the log would go to a deleted file; give the log another path\n`,
  },
  {
    name: 'a stdout log at the pidfile\'s path, not normalised',
    args: (dir) => ['--pidfile', `${dir}/same`, '--stdout', `${dir}/./same`, '--', '/bin/sleep', '300'],
    line: (dir) => `daemonspec: the stdout log and the pidfile are one path (${dir}/same): the pidfile replaces the file at its path, so the log would go to a deleted file; give the log another path\n`,
  },
  {
    name: 'a log that is a directory',
    setup: (dir) => mkdirSync(`${dir}/logdir`),
    args: (dir) => ['--stderr', `${dir}/logdir`, '--', '/bin/sleep', '300'],
    line: (dir) => `daemonspec: cannot open stderr log ${dir}/logdir for appending (EISDIR): it is a directory: give a file path\n`,
  },
];

describe('run: refused before anything starts → exit 2, one line with the fix, nothing started, no pidfile', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const s = scene();
      c.setup?.(s.dir);
      const before = listDir(s.dir);
      const args = c.args(s.dir);
      // A case naming its own pidfile gives it once (a one-value option given twice is refused).
      const r = await runCli(['run', ...(args.includes('--pidfile') ? [] : ['--pidfile', s.path('d.pid')]), ...args], s.env);
      expect(r.stderr).toBe(c.line(s.dir));
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(tagged(s.tag)).toEqual([]);
      expect(listDir(s.dir)).toEqual(before);
    });
  }

  it('a file longer than a pid line at the pidfile path keeps its content', async () => {
    const s = scene();
    const conf = s.path('app.conf');
    const content = `${'x'.repeat(40)}\n`;
    writeFileSync(conf, content);
    expect((await runCli(['run', '--pidfile', conf, '--', '/bin/sleep', '300'], s.env)).code).toBe(2);
    expect(readFileSync(conf, 'utf8')).toBe(content);
  });

  it('a pidfile held by a running daemon: exit 2 naming it; the running daemon untouched', async () => {
    const s = scene();
    const pidfile = s.path('d.pid');
    expect((await runCli(['run', '--pidfile', pidfile, '--', '/bin/sleep', '300'], s.env)).code).toBe(0);
    const running = tagged(s.tag);
    const second = await runCli(['run', '--pidfile', pidfile, '--', '/bin/sleep', '300'], s.env);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/^daemonspec: pidfile .* is held by PID \d+; stop it with `daemonspec stop --pidfile .*`\n$/);
    expect(tagged(s.tag)).toEqual(running);
    expect(listDir(s.dir)).toEqual(['d.pid']);
  });

  it('a start that began and failed is still exit 1 (the program died)', async () => {
    const s = scene();
    const r = await runCli(['run', '--notify', '--pidfile', s.path('d.pid'), '--', '/bin/sh', '-c', 'exit 3'], s.env);
    expect(r.code).toBe(1);
    expect(listDir(s.dir)).toEqual([]);
  });
});

describe('spawnDaemon(): the refusal is marked, so a caller can tell it from a failed start', () => {
  it('ELOG before the start: refused, exit status 2; EDIED after it: not refused, 1', async () => {
    const s = scene();
    writeFileSync(s.path('f'), '');
    const refused = await spawnDaemon('/bin/sleep', ['300'], { stdout: s.path('f/x.log'), env: s.env }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'ELOG', refused: true });
    expect(exitStatusOf(refused)).toBe(2);
    const died = await spawnDaemon('/bin/sh', ['-c', 'exit 3'], { notify: true, env: s.env }).catch((e: unknown) => e);
    expect(died).toMatchObject({ code: 'EDIED', refused: false });
    expect(exitStatusOf(died)).toBe(1);
  });
});

describe('an option the entry does not take is refused, not ignored', () => {
  it('spawnDaemon() with pidFile (a typo): EUSAGE naming pidfile, refused, nothing started', async () => {
    const s = scene();
    const options = { pidFile: s.path('d.pid'), env: s.env } as unknown as SpawnDaemonOptions;
    const error = await spawnDaemon('/bin/sleep', ['300'], options).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EUSAGE', refused: true, message: 'spawnDaemon() has no option "pidFile": did you mean pidfile?' });
    expect(tagged(s.tag)).toEqual([]);
    expect(listDir(s.dir)).toEqual([]);
  });

  it("spawnDaemon() with daemonize()'s manualReady: EUSAGE listing its options", async () => {
    const s = scene();
    const options = { manualReady: true, env: s.env } as unknown as SpawnDaemonOptions;
    const error = await spawnDaemon('/bin/sleep', ['300'], options).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EUSAGE', refused: true });
    expect((error as Error).message).toMatch(/^spawnDaemon\(\) has no option "manualReady": its options are pidfile, stdout, .*, aliveFor$/);
    expect(tagged(s.tag)).toEqual([]);
  });

  it('daemonize() with pid_file: the script exits 2 with the one line, no daemon', () => {
    const s = scene();
    const script = s.path('typo.mjs');
    writeFileSync(script, `import { daemonize } from ${JSON.stringify(packageEntry)};\nawait daemonize({ pid_file: ${JSON.stringify(s.path('d.pid'))} });\n`);
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: s.env, timeout: 30_000 });
    expect(r.stderr).toBe('daemonspec: daemonize() has no option "pid_file": did you mean pidfile?\n');
    expect(r.status).toBe(2);
    expect(tagged(s.tag)).toEqual([]);
    expect(listDir(s.dir)).toEqual(['typo.mjs']);
  });
});
