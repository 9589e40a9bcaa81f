import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { mixedReport, report, rule } from '../report/sample-report.js';

function failureOf(assertion: () => void): string {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the assertion did not fail');
}

const passing = report([rule({ rule: 'new-session' }), rule({ rule: 'pidfile', message: 'no --pidfile given' }, 'skip')]);

describe('toConform', () => {
  it('passes a report whose judged rules all passed (skipped rules do not fail it)', () => {
    expect(passing).toConform();
    expect(passing).toConform('sysv');
  });

  it('fails with every failing or racy rule, its expected and actual values, message and fix', () => {
    const message = failureOf(() => expect(mixedReport()).toConform('sysv'));
    expect(message).toContain("expected /usr/bin/python3 daemon.py fork 'stdout=/tmp/a b.log' (profile sysv, seed 5eed0001, daemon pid 4242) to conform to sysv");
    expect(message).toContain('2 rule(s) failed:');
    expect(message).toContain('✗ umask (fail): umask is the expected one');
    expect(message).toContain('expected 0022, actual 0077');
    expect(message).toContain('the daemon kept its caller umask 0077 (/proc/4242/status Umask: 0077)');
    expect(message).toContain('fix: call umask(0o022) after the fork');
    expect(message).toContain('~ ready-before-exit (racy)');
    expect(message).toContain('runs: pass, fail, pass');
    expect(message).not.toContain('new-session');
    expect(message).not.toContain('pidfile (skip)');
  });

  it('fails a report checked under another profile, saying so', () => {
    const message = failureOf(() => expect(passing).toConform('daemon3'));
    expect(message).toContain('it was checked under profile sysv, not daemon3');
  });

  it('fails a report with a fail verdict but no failing rule, with its notes', () => {
    const r = report([rule({ rule: 'cwd' })], { verdict: 'fail', notes: ['the command daemonized twice: 11, 12'] });
    expect(failureOf(() => expect(r).toConform())).toContain('verdict fail: the command daemonized twice: 11, 12');
  });

  it('works with .not', () => {
    expect(mixedReport()).not.toConform();
    expect(failureOf(() => expect(passing).not.toConform('sysv'))).toContain('not to conform to sysv');
  });

  it('refuses what is not a check report', () => {
    expect(() => expect({ verdict: 'pass' }).toConform()).toThrowError(/expects a daemonspec CheckReport.*got an object with keys verdict/);
    expect(() => expect({}).toConform()).toThrowError(/expects a daemonspec CheckReport.*got an empty object$/);
    expect(() => expect(Promise.resolve()).toConform()).toThrowError(/expects a daemonspec CheckReport.*got a Promise: await the check first$/);
    expect(() => expect(undefined).toConform()).toThrowError(TypeError);
  });
});

describe('toPassRule / toFailRule', () => {
  it('pass on the matching status', () => {
    const r = mixedReport();
    expect(r).toPassRule('new-session');
    expect(r).toFailRule('umask');
    expect(r).not.toPassRule('umask');
    expect(r).not.toFailRule('new-session');
  });

  it('a skipped or racy rule neither passes nor fails', () => {
    const r = mixedReport();
    expect(r).not.toPassRule('pidfile');
    expect(r).not.toFailRule('pidfile');
    expect(r).not.toPassRule('ready-before-exit');
    expect(r).not.toFailRule('ready-before-exit');
    expect(failureOf(() => expect(r).toPassRule('pidfile'))).toMatch(/expected rule pidfile to pass .*, but it was skipped:\n.*\n.*\n {6}no --pidfile given/);
  });

  it('the failure message carries the evidence', () => {
    const message = failureOf(() => expect(mixedReport()).toPassRule('umask'));
    expect(message).toContain('expected rule umask to pass');
    expect(message).toContain('but it failed');
    expect(message).toContain('expected 0022, actual 0077');
    expect(message).toContain('/proc/4242/status Umask: 0077');
    expect(message).toContain('fix: call umask(0o022) after the fork');
  });

  it('says when the report has no result for the rule', () => {
    expect(failureOf(() => expect(mixedReport()).toFailRule('cwd'))).toContain('the report has no result for it');
  });

  it('a life-cycle or credential rule id is valid; absent from a report made without them, it says how to get it', () => {
    expect(failureOf(() => expect(mixedReport()).toPassRule('stops-on-sigterm'))).toMatch(/no result for it: life-cycle rules are judged only with \{ lifecycle: true \}/);
    expect(failureOf(() => expect(mixedReport()).toPassRule('credentials'))).toMatch(/no result for it: credential rules are judged only with \{ user: NAME \}/);
  });

  it('rejects an unknown rule id, listing the valid ones', () => {
    expect(() => expect(mixedReport()).toPassRule('new_session' as never)).toThrowError(/unknown rule id; valid ids: launcher-exit, .*log-contents/);
  });
});

describe('a report without a daemon', () => {
  const none = report([rule({ rule: 'launcher-exit', message: 'the original process exited with status 1' }, 'fail'), rule({ rule: 'new-session', message: 'not judged: nothing is running' }, 'skip')], {
    daemon: null,
    verdict: 'fail',
    noDaemon: { reason: 'the command exited with status 1; nothing is running', lastLines: ['bad config'] },
  });

  it('toConform leads with why, then the launcher rule that failed', () => {
    const message = failureOf(() => expect(none).toConform());
    const lines = message.split('\n');
    expect(lines[1]).toBe('  no daemon found: the command exited with status 1; nothing is running');
    expect(lines[2]).toBe('    | bad config');
    expect(message).toContain('1 rule(s) failed:');
    expect(message).toContain('✗ launcher-exit (fail)');
  });

  it('a daemon rule neither passes nor fails: it was not judged, and the matcher says why', () => {
    expect(none).not.toFailRule('new-session');
    expect(failureOf(() => expect(none).toFailRule('new-session'))).toContain('but no daemon was found, so it was not judged: the command exited with status 1');
    expect(none).toFailRule('launcher-exit');
  });
});

