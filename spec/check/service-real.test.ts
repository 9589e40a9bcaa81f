/**
 * `--profile systemd` on real servers from Debian: redis-server supervised by systemd stays in the
 * foreground and says READY=1 itself (and ignores --daemonize yes, as its source says it does
 * when supervised); memcached -d daemonizes, which a new-style service must not do.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkOnHost } from '../../src/check/index.js';
import { expectClean, explain, statuses, workDir } from './support.js';

const REDIS = '/usr/bin/redis-server';
const MEMCACHED = '/usr/bin/memcached';

function redis(dir: string, daemonize: 'yes' | 'no'): string[] {
  return [REDIS, '--supervised', 'systemd', '--daemonize', daemonize, '--port', '0', '--unixsocket', join(dir, 'r.sock'), '--save', '', '--dir', dir, '--logfile', join(dir, 'log')];
}

describe.runIf(process.platform === 'linux')('check --profile systemd on real servers', () => {
  test.runIf(existsSync(REDIS)).each(['no', 'yes'] as const)('redis-server --supervised systemd --daemonize %s passes the three service rules', async (daemonize) => {
    const report = await checkOnHost(redis(workDir(), daemonize), { profile: 'systemd' });
    expectClean(report);
    expect(statuses(report), explain(report)).toEqual({ 'stays-in-foreground': 'pass', 'notify-ready': 'pass', 'stops-on-sigterm': 'pass' });
    const ready = report.results.find((r) => r.rule === 'notify-ready')!;
    expect(ready.actual).toMatchObject({ status: 'Ready to accept connections' });
  });

  test.runIf(existsSync(MEMCACHED))('memcached -d daemonizes: stays-in-foreground fails, and the daemon it left is stopped', async () => {
    const socket = join(workDir(), 'm.sock');
    const report = await checkOnHost([MEMCACHED, '-d', '-u', 'root', '-s', socket], { profile: 'systemd' });
    expectClean(report);
    const result = report.results.find((r) => r.rule === 'stays-in-foreground')!;
    expect(result.status, explain(report)).toBe('fail');
    expect(result.message).toMatch(/exited with status 0 before READY=1: it daemonized/);
  });
});
