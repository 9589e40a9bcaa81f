import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { Launcher } from '../../src/check/launcher.js';
import { planTraps } from '../../src/check/trap-pools.js';
import { createTraps } from '../../src/check/traps.js';
import { testDir } from '../support/temp-dir.js';
import { inspect } from '../../src/inspect/index.js';

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
  'pipe': os.readlink('/proc/self/fd/' + os.environ['PIPE_FD']), 'file': os.readlink('/proc/self/fd/' + os.environ['FILE_FD']),
  'marker': os.environ.get('DAEMONSPEC_CHECK_ID')}))
raise SystemExit(3)
`;

function work(): string {
  const dir = testDir('ds-launcher-');
  return dir;
}

describe('launcher', () => {
  test('runs the command in its own foreground group of a new session, with every trap set', async () => {
    const dir = work();
    const plan = planTraps('launcher-test');
    const traps = createTraps(dir, plan.fdNumbers);
    const launcher = new Launcher({
      command: [PY, '-c', PROBE],
      env: { ...(process.env as Record<string, string>), DAEMONSPEC_CHECK_ID: 'abc', PIPE_FD: String(plan.fdNumbers.pipe), FILE_FD: String(plan.fdNumbers.file) },
      cwd: dir,
      traps,
      blockedSignals: plan.blockedSignals,
      ignoredSignals: plan.ignoredSignals,
      umask: plan.umask,
    });
    traps.release();
    onTestFinished(() => launcher.dispose());
    const exit = await launcher.waitOriginalExit(Date.now() + 15_000);
    expect(exit, launcher.output()).not.toBeNull();
    expect(exit!.status).toBe(3);
    const line = /PROBE (.*)/.exec(launcher.output())?.[1];
    const probe = JSON.parse(line!) as Record<string, string | number>;
    expect(probe.umask).toBe(plan.umask.toString(8).padStart(4, '0'));
    // Exactly the planted signals are blocked; Python adds SIGPIPE/SIGXFSZ (bits 12, 24) to the ignored ones itself.
    const bits = (signals: number[]): bigint => signals.reduce((m, n) => m | (1n << BigInt(n - 1)), 0n);
    expect(BigInt(`0x${probe.blk}`)).toBe(bits(plan.blockedSignals));
    expect(BigInt(`0x${probe.ign}`) & ~bits([13, 25])).toBe(bits(plan.ignoredSignals));
    expect(probe.pgid).toBe(probe.pid);
    expect(probe.sid).toBe(launcher.pid);
    expect(probe.ppid).toBe(launcher.pid);
    expect(probe.fg).toBe(probe.pid);
    // The launcher's session has the pty as its controlling terminal (acquired by the shell: src/check/ctty.ts).
    expect(inspect(launcher.pid).tty?.name).toMatch(/^\/dev\/pts\/\d+$/);
    expect(probe.cwd).toBe(dir);
    expect(probe.pipe).toBe(traps.objects[0]!.target);
    expect(probe.file).toBe(traps.objects[1]!.target);
    expect(probe.marker).toBe('abc');
    const hung = await launcher.hangup(Date.now() + 5000);
    expect(hung.pid).toBe(launcher.pid);
  });

  test('reports the pidfile state at the moment the original process exits', async () => {
    const dir = work();
    const plan = planTraps('launcher-test');
    const traps = createTraps(dir, plan.fdNumbers);
    const pidfile = join(dir, 'x.pid');
    const launcher = new Launcher({
      blockedSignals: plan.blockedSignals,
      ignoredSignals: plan.ignoredSignals,
      umask: plan.umask,
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
