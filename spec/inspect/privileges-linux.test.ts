/**
 * readPrivileges() from outside, on real processes whose privileges setpriv and prlimit set
 * (Linux, as root: capabilities to drop and limits to lower).
 */
import { existsSync } from 'node:fs';
import { describe, expect, test, vi } from 'vitest';
import { emptyMask, inspect, isNoSuchProcess, readPrivileges } from '../../src/inspect/index.js';
import { start, whenRunning } from './helpers.js';

const SETPRIV = '/usr/bin/setpriv';
const PRLIMIT = '/usr/bin/prlimit';
const canRun = process.platform === 'linux' && process.getuid?.() === 0 && existsSync(SETPRIV) && existsSync(PRLIMIT);

function sleeper(argv: string[]): number {
  return start({ path: argv[0]!, argv, setsid: true });
}

describe.skipIf(!canRun)('readPrivileges (Linux, as root)', () => {
  test('a root process holds capabilities; NoNewPrivs 0; root is not judged dumpable from /proc ownership', async () => {
    const pid = sleeper(['/bin/sleep', '300']);
    await whenRunning(pid, 'sleep');
    const p = readPrivileges(pid);
    expect(emptyMask(p.capabilities!.effective)).toBe(false);
    expect(p.noNewPrivs).toBe(false);
    expect(p.dumpable).toBeNull();
    expect(p.unknown.dumpable).toMatch(/runs as root/);
  });

  test('after setpriv drops to nobody with no_new_privs and RLIMIT_CORE 0/1024: empty sets, NoNewPrivs 1, the limits, dumpable', async () => {
    const pid = sleeper([PRLIMIT, '--core=0:1024', '--', SETPRIV, '--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', '--no-new-privs', '--', '/bin/sleep', '300']);
    await whenRunning(pid, 'sleep');
    const p = readPrivileges(pid);
    expect(p.capabilities).toMatchObject({ effective: '0000000000000000', permitted: '0000000000000000', ambient: '0000000000000000' });
    expect(p.noNewPrivs).toBe(true);
    expect(p.coreLimit).toEqual({ soft: 0, hard: 1024 });
    expect(p.dumpable).toBe(true);
  });

  test('ambient capabilities are read as they are', async () => {
    const pid = sleeper([SETPRIV, '--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', '--inh-caps', '+net_bind_service', '--ambient-caps', '+net_bind_service', '--', '/bin/sleep', '300']);
    await whenRunning(pid, 'sleep');
    const caps = readPrivileges(pid).capabilities!;
    expect(caps.ambient).toBe('0000000000000400');
    expect(caps.effective).toBe('0000000000000400');
  });

  test('a process that changed its uid without exec is not dumpable: /proc/PID/status turns root-owned', async () => {
    const pid = sleeper(['/usr/bin/python3', '-c', 'import os, time\nos.setgid(65534)\nos.setuid(65534)\ntime.sleep(300)']);
    await vi.waitFor(() => expect(inspect(pid).uid).toBe(65534), { timeout: 10_000 });
    expect(readPrivileges(pid).dumpable).toBe(false);
  });

  test('a process that does not exist: the inspector\'s no-such-process error', () => {
    let error: unknown;
    try {
      readPrivileges(2 ** 22 + 12345);
    } catch (caught) {
      error = caught;
    }
    expect(isNoSuchProcess(error)).toBe(true);
  });
});
