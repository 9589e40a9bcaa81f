import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { Launcher } from '../../src/check/launcher.js';
import { createTraps } from '../../src/check/traps.js';

const PY = '/usr/bin/python3';
// The command reports what it inherited from the launcher, then exits 3.
const PROBE = `
import os, json
st = open('/proc/self/status').read()
f = dict(l.split(':\\t', 1) for l in st.splitlines() if ':\\t' in l)
print('PROBE ' + json.dumps({
  'umask': f['Umask'].strip(), 'blk': f['SigBlk'].strip(), 'ign': f['SigIgn'].strip(),
  'pid': os.getpid(), 'pgid': os.getpgid(0), 'sid': os.getsid(0), 'ppid': os.getppid(),
  'fg': os.tcgetpgrp(0), 'cwd': os.getcwd(),
  'fd57': os.readlink('/proc/self/fd/57'), 'fd211': os.readlink('/proc/self/fd/211'),
  'marker': os.environ.get('DAEMONSPEC_CHECK_ID')}))
raise SystemExit(3)
`;

function work(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ds-launcher-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('launcher', () => {
  test('runs the command in its own foreground group of a new session, with every trap set', async () => {
    const dir = work();
    const traps = createTraps(dir);
    const launcher = new Launcher({
      command: [PY, '-c', PROBE],
      env: { ...(process.env as Record<string, string>), DAEMONSPEC_CHECK_ID: 'abc' },
      cwd: dir,
      traps,
    });
    traps.release();
    onTestFinished(() => launcher.dispose());
    const exit = await launcher.waitOriginalExit(Date.now() + 15_000);
    expect(exit, launcher.output()).not.toBeNull();
    expect(exit!.status).toBe(3);
    const line = /PROBE (.*)/.exec(launcher.output())?.[1];
    const probe = JSON.parse(line!) as Record<string, string | number>;
    expect(probe.umask).toBe('0077');
    // Python adds SIGPIPE/SIGXFSZ to the ignored set itself; SIGUSR2 (bit 11) comes from the launcher.
    expect(BigInt(`0x${probe.blk}`) & (1n << 9n)).toBe(1n << 9n);
    expect(BigInt(`0x${probe.ign}`) & (1n << 11n)).toBe(1n << 11n);
    expect(probe.pgid).toBe(probe.pid);
    expect(probe.sid).toBe(launcher.pid);
    expect(probe.ppid).toBe(launcher.pid);
    expect(probe.fg).toBe(probe.pid);
    expect(probe.cwd).toBe(dir);
    expect(probe.fd57).toBe(traps.objects[0]!.target);
    expect(probe.fd211).toBe(traps.objects[1]!.target);
    expect(probe.marker).toBe('abc');
    const hung = await launcher.hangup(Date.now() + 5000);
    expect(hung.pid).toBe(launcher.pid);
  });

  test('reports the pidfile state at the moment the original process exits', async () => {
    const dir = work();
    const traps = createTraps(dir);
    const pidfile = join(dir, 'x.pid');
    const launcher = new Launcher({
      command: ['/bin/sh', '-c', `echo $$ > ${pidfile}; printf 'hello' > ${dir}/out.log`],
      env: process.env as Record<string, string>,
      cwd: dir,
      traps,
      pidfile,
      stdout: join(dir, 'out.log'),
      stderr: join(dir, 'missing.log'),
    });
    traps.release();
    onTestFinished(() => launcher.dispose());
    const exit = await launcher.waitOriginalExit(Date.now() + 15_000);
    expect(exit).toMatchObject({ status: 0, pidfileAlive: false, stdoutSize: 5, stderrSize: null });
    expect(exit!.pidfilePid).toBeGreaterThan(1);
    await launcher.hangup(Date.now() + 5000);
  });
});
