/**
 * `check --user NAME` end to end, as root: the checker plants gid 0 and a trap group in the
 * caller, and judges the daemon's credentials and capabilities from /proc. The privilege drops
 * are real ones: `daemonspec run --user`, and setpriv doing it wrong on purpose.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkOnHost, USER_RULE_IDS, type CheckReport, type RuleId } from '../../src/check/index.js';
import { lookupUser } from '../../src/ffi/libc.js';
import { CLI, runCli } from '../cli/run-cli.js';
import { expectClean, explain, statuses, workDir } from './support.js';

const SETPRIV = '/usr/bin/setpriv';
const asRoot = process.getuid?.() === 0 && existsSync(SETPRIV) && lookupUser('nobody') !== null;
const nobody = lookupUser('nobody');

function userStatuses(report: CheckReport): Partial<Record<RuleId, string>> {
  const all = statuses(report);
  return Object.fromEntries(USER_RULE_IDS.map((id) => [id, all[id]]));
}

/** `daemonspec run --pidfile P [RUN_ARGS] -- PROGRAM...`, checked with --user nobody. */
async function check(runArgs: string[], program: string[]): Promise<CheckReport> {
  const pidfile = join(workDir(), 'd.pid');
  const report = await checkOnHost([process.execPath, CLI, 'run', '--pidfile', pidfile, ...runArgs, '--', ...program], { pidfile, user: 'nobody' });
  expectClean(report);
  return report;
}

describe.skipIf(!asRoot)('check --user (as root)', () => {
  test('daemonspec run --user nobody: the credentials are nobody\'s, no capability is left; the planted groups are reported', async () => {
    const report = await check(['--user', 'nobody'], ['/bin/sleep', '300']);
    expect(userStatuses(report), explain(report)).toEqual({ credentials: 'pass', 'no-capabilities': 'pass' });
    expect(report.caller.groups).toEqual([0, expect.any(Number)]);
    const caps = report.results.find((r) => r.rule === 'no-capabilities')!;
    expect(caps.message).toMatch(/NoNewPrivs 0; RLIMIT_CORE \S+; dumpable (yes|no)/);
    expect(report.results.find((r) => r.rule === 'credentials')!.actual).toEqual({
      uids: [nobody!.uid, nobody!.uid, nobody!.uid],
      gids: [nobody!.gid, nobody!.gid, nobody!.gid],
      groups: [nobody!.gid],
    });
  });

  test('a drop without initgroups keeps the planted groups: credentials fails and names them', async () => {
    const report = await check([], [SETPRIV, '--reuid', 'nobody', '--regid', 'nogroup', '--keep-groups', '--', '/bin/sleep', '300']);
    expect(userStatuses(report), explain(report)).toEqual({ credentials: 'fail', 'no-capabilities': 'pass' });
    const result = report.results.find((r) => r.rule === 'credentials')!;
    const [root, trap] = report.caller.groups!;
    expect(result.message).toContain(`the supplementary groups are ${root}, ${trap}, not nobody's ${nobody!.gid}; ${root}, ${trap} planted in the caller: no initgroups`);
    expect(result.findings).toEqual([
      { what: `supplementary group ${root}`, attribution: 'inherited' },
      { what: `supplementary group ${trap}`, attribution: 'inherited' },
    ]);
  });

  test('ambient capabilities survive the drop: no-capabilities fails, credentials passes', async () => {
    const report = await check([], [SETPRIV, '--reuid', 'nobody', '--regid', 'nogroup', '--init-groups', '--inh-caps', '+net_bind_service', '--ambient-caps', '+net_bind_service', '--', '/bin/sleep', '300']);
    expect(userStatuses(report), explain(report)).toEqual({ credentials: 'pass', 'no-capabilities': 'fail' });
    expect(report.results.find((r) => r.rule === 'no-capabilities')!.message).toMatch(/still holds CapEff 0+400, CapPrm 0+400, CapAmb 0+400 as nobody/);
  });

  test('no drop at all: the daemon runs as root with the planted groups and every capability', async () => {
    const report = await check([], ['/bin/sleep', '300']);
    expect(userStatuses(report), explain(report)).toEqual({ credentials: 'fail', 'no-capabilities': 'fail' });
    expect(report.results.find((r) => r.rule === 'credentials')!.message).toContain(`the uids (real, effective, saved) are 0, 0, 0, not ${nobody!.uid} (nobody)`);
  });

  test('without --user the report has no credential rules', async () => {
    const pidfile = join(workDir(), 'd.pid');
    const report = await checkOnHost([process.execPath, CLI, 'run', '--pidfile', pidfile, '--', '/bin/sleep', '300'], { pidfile });
    expect(report.results.map((r) => r.rule)).not.toContain('credentials');
    expect(report.caller.groups).toBeUndefined();
    expectClean(report);
  });

  test.each([
    [[SETPRIV, '--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', process.execPath, CLI, 'check', '--user', 'nobody'], /needs the checker to run as root/],
    [[process.execPath, CLI, 'check', '--user', 'no-such-user-x'], /--user: unknown user no-such-user-x/],
  ])('refuses before anything starts (exit 2): %j', async (argv, message) => {
    const marker = join(workDir(), 'started');
    const { execFileSync } = await import('node:child_process');
    let status = 0;
    let stderr = '';
    try {
      execFileSync(argv[0]!, [...argv.slice(1), '--', '/bin/sh', '-c', `touch '${marker}'`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      status = (error as { status: number }).status;
      stderr = (error as { stderr: string }).stderr;
    }
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('the CLI carries --user', () => {
  test('check --help lists --user <NAME>', async () => {
    const r = await runCli(['check', '--help']);
    expect(r.stdout).toMatch(/--user <NAME>/);
  });
});
