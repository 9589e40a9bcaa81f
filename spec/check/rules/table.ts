/**
 * Table tests of the rules: a rule is a pure function of a RuleContext (the daemon's snapshot,
 * the planted caller, the expectations), so each case is data in, a judgement out.
 */
import { expect } from 'vitest';
import type { PlantedCaller } from '../../../src/check/caller.js';
import type { Attribution, RuleStatus } from '../../../src/check/report-types.js';
import type { ResolvedExpectations, Rule, RuleContext } from '../../../src/check/rules/rule.js';
import type { Snapshot } from '../../../src/inspect/snapshot.js';

/** What the checker planted in these tables: SIGVTALRM (26) blocked, SIGPROF (27) ignored, umask 035. */
export const CALLER: PlantedCaller = {
  seed: 'table',
  blockedSignals: [26],
  ignoredSignals: [27],
  umask: 0o035,
  cwd: '/tmp/daemonspec-check-T/caller-abc123',
  cwdOrigin: 'trap',
  fds: [
    { kind: 'pipe', fd: 57, device: 14, inode: 9001, target: 'pipe:[9001]' },
    { kind: 'file', fd: 211, device: 2049, inode: 77, target: '/tmp/daemonspec-check-T/leaked-trap-file' },
  ],
};

export const LAUNCHER_PID = 500;
export const CHECKER_PID = 400;

/** A well-behaved daemon: double fork, setsid, umask 022, cwd /, stdio on /dev/null, nothing inherited. */
export function daemon(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    pid: 702,
    ppid: 1,
    pgid: 701,
    sid: 701,
    tpgid: null,
    tty: null,
    umask: 0o022,
    cwd: '/',
    root: '/',
    fds: [0, 1, 2].map((fd) => ({ fd, target: '/dev/null', kind: 'device' as const, device: 5, inode: 4, cloexec: false, append: false, access: 'rw' as const })),
    signals: { blocked: [], ignored: [], caught: [] },
    uid: 1000,
    gid: 1000,
    groups: [1000],
    cmdline: ['/usr/sbin/exampled'],
    state: 'S',
    startTime: 1234,
    unknown: {},
    ...overrides,
  };
}

export const EXPECT: ResolvedExpectations = { allowIgnored: [], stdinDevnull: true, strict: false, exact: [], umask: 0o022, cwd: '/' };

export type ContextChanges = Partial<Omit<RuleContext, 'expect' | 'launcher'>> & {
  expect?: Partial<ResolvedExpectations>;
  launcher?: Partial<RuleContext['launcher']>;
};

/** The context of a correct daemon under sysv, with `changes` applied. */
export function context(changes: ContextChanges = {}): RuleContext {
  const { expect: expectChanges, launcher, ...rest } = changes;
  return {
    expect: { ...EXPECT, ...expectChanges },
    launcher: { exitCode: 0, signal: null, readyAtExit: null, timedOut: false, pid: LAUNCHER_PID, sid: LAUNCHER_PID, maskTrapSet: true, ...launcher },
    checkerPid: CHECKER_PID,
    daemon: daemon(),
    noDaemonReason: '',
    survivedHangup: true,
    caller: CALLER,
    pidfileContent: null,
    pidfileAtExit: null,
    pidfileIsSymlink: null,
    logs: { stdout: null, stderr: null },
    logsAtExit: { stdout: null, stderr: null },
    identities: { devnull: { device: 5, inode: 4 }, stdout: null, stderr: null },
    trace: null,
    ...rest,
  };
}

/** No daemon was found: every rule that needs one says "not judged" with the reason. */
export const NO_DAEMON: ContextChanges = { daemon: null, noDaemonReason: 'no daemon found: nothing the command started is still running', survivedHangup: null };

export interface Row {
  name: string;
  given: ContextChanges;
  status: Exclude<RuleStatus, 'racy'>;
  /** A pattern the message must match. */
  message?: RegExp;
  /** The attributed findings, when the rule attributes state. */
  findings?: [string, Attribution][];
}

/** Judges one row and checks status, message and findings. */
export function judgeRow(rule: Rule, row: Row): void {
  const judgement = rule.judge(context(row.given));
  expect(judgement.status, judgement.message).toBe(row.status);
  if (row.message) expect(judgement.message).toMatch(row.message);
  if (row.findings) expect((judgement.findings ?? []).map((f) => [f.what, f.attribution])).toEqual(row.findings);
}
