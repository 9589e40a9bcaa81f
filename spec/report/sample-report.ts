/** Hand-built check reports for the renderer and matcher tests (the contract of report-types.ts). */
import type { CheckReport, RuleResult, RuleStatus } from '../../src/check/report-types.js';
import type { PlantedCaller } from '../../src/check/caller.js';
import type { Snapshot } from '../../src/inspect/snapshot.js';

export function rule(partial: Partial<RuleResult> & Pick<RuleResult, 'rule'>, status: RuleStatus = 'pass'): RuleResult {
  return {
    title: `title of ${partial.rule}`,
    status,
    expected: null,
    actual: null,
    message: `${partial.rule} ${status}`,
    fix: '',
    reference: 'daemon(7)',
    ...partial,
  };
}

export const snapshot: Snapshot = {
  pid: 4242,
  ppid: 1,
  pgid: 4241,
  sid: 4241,
  tpgid: null,
  tty: null,
  umask: 0o077,
  cwd: '/tmp/work',
  root: '/',
  fds: [{ fd: 0, target: '/dev/null', kind: 'device', device: 5, inode: 4, cloexec: false, append: false, access: 'r' }],
  signals: { blocked: [], ignored: [13], caught: [15] },
  uid: 0,
  gid: 0,
  groups: [0],
  cmdline: ['/usr/bin/python3', 'daemon.py'],
  state: 'S',
  startTime: 123456,
  unknown: {},
};

/** What the checker planted (the seed's traps). */
export const caller: PlantedCaller = {
  seed: '5eed0001',
  blockedSignals: [26, 45],
  ignoredSignals: [16, 50],
  umask: 0o035,
  cwd: '/tmp/daemonspec-check-x/caller-00a1b2',
  cwdOrigin: 'trap',
  fds: [
    { kind: 'pipe', fd: 57, device: 14, inode: 9001, target: 'pipe:[9001]' },
    { kind: 'file', fd: 211, device: 2049, inode: 77, target: '/tmp/daemonspec-check-x/leaked-trap-file' },
  ],
};

export function report(results: RuleResult[], overrides: Partial<CheckReport> = {}): CheckReport {
  return {
    schemaVersion: 2,
    verdict: results.some((r) => r.status === 'fail' || r.status === 'racy') ? 'fail' : 'pass',
    command: ['/usr/bin/python3', 'daemon.py', 'fork', 'stdout=/tmp/a b.log'],
    profile: 'sysv',
    isolation: 'host',
    seed: '5eed0001',
    strict: false,
    caller,
    noDaemon: null,
    launcher: { exitCode: 0, signal: null, readyAtExit: true, timedOut: false },
    daemon: snapshot,
    candidates: [4242],
    results,
    cleanup: { stopped: [4242], leftRunning: [] },
    terminalOutput: '',
    notes: [],
    runs: 1,
    durationMs: 312.4,
    ...overrides,
  };
}

/** One rule of each status, with a umask failure carrying evidence. */
export function mixedReport(): CheckReport {
  return report([
    rule({ rule: 'new-session', title: 'Runs in a new session', expected: 'sid ≠ launcher sid', actual: 4241 }),
    rule(
      {
        rule: 'umask',
        title: 'umask is the expected one',
        expected: 0o022,
        actual: 0o077,
        message: 'the daemon kept its caller umask 0077 (/proc/4242/status Umask: 0077)',
        fix: 'call umask(0o022) after the fork',
      },
      'fail',
    ),
    rule({ rule: 'pidfile', title: 'Writes its pid to the pidfile', message: 'no --pidfile given' }, 'skip'),
    rule(
      {
        rule: 'ready-before-exit',
        title: 'Ready before the original exits',
        expected: true,
        actual: false,
        runs: ['pass', 'fail', 'pass'],
        message: 'the original exited before the pidfile existed in 1 of 3 runs',
        fix: 'wait for a readiness pipe before exiting',
      },
      'racy',
    ),
  ]);
}
