import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { spawnDaemon } from '../../src/daemon/index.js';
import { exitStatusOf } from '../../src/daemon/exit-status.js';
import { listDir, scene, tagged } from './support.js';

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
      const r = await runCli(['run', '--pidfile', s.path('d.pid'), ...c.args(s.dir)], s.env);
      expect(r.stderr).toBe(c.line(s.dir));
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(tagged(s.tag)).toEqual([]);
      expect(listDir(s.dir)).toEqual(before);
    });
  }

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
