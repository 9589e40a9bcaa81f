import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkOnHost, mergeRuns, resolveProfile, type RuleResult } from '../../src/check/index.js';
import { correctExpectations, correctSteps, DEFECTS, stepPaths, stepsCommand } from '../support/steps.js';
import { expectClean, explain, failing, statuses, workDir } from './support.js';

describe('profiles', () => {
  test('sysv defaults umask 022 and cwd /; options override them', () => {
    expect(resolveProfile('sysv', {}).expect).toMatchObject({ umask: 0o022, cwd: '/', stdinDevnull: true });
    expect(resolveProfile('sysv', { umask: 0o027, cwd: '/srv' }).expect).toMatchObject({ umask: 0o027, cwd: '/srv' });
    expect(resolveProfile('seed', {}).expect).toMatchObject({ umask: 0, stdinDevnull: false });
    expect(resolveProfile('seed', {}).expect.cwd).toBeUndefined();
    expect([...resolveProfile('daemon3', {}).disabledRules]).toEqual(['not-session-leader']);
  });

  test("a user's JSON file is validated with clear errors", () => {
    const dir = workDir();
    const file = (name: string, value: unknown): string => {
      const path = join(dir, name);
      writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
      return path;
    };
    const good = file('mine.json', { name: 'mine', extends: 'sysv', disabledRules: ['pidfile'], expectations: { umask: '027', allowIgnored: ['SIGPIPE'] } });
    const resolved = resolveProfile(good, {});
    expect(resolved.expect).toMatchObject({ umask: 0o027, cwd: '/', allowIgnored: ['SIGPIPE'] });
    expect(resolved.disabledRules.has('pidfile')).toBe(true);
    expect(() => resolveProfile(file('a.json', '{'), {})).toThrow(/not valid JSON/);
    expect(() => resolveProfile(file('b.json', { name: 'x', disabledRules: ['no-such-rule'] }), {})).toThrow(/unknown rule "no-such-rule"/);
    expect(() => resolveProfile(file('c.json', { name: 'x', expectations: { umask: '999' } }), {})).toThrow(/not an octal umask/);
    expect(() => resolveProfile(file('d.json', { name: 'x', colour: 1 }), {})).toThrow(/unknown field "colour"/);
    expect(() => resolveProfile('nosuch', {})).toThrow(/unknown profile "nosuch"/);
    expect(() => resolveProfile('./nosuch.json', {})).toThrow(/^cannot read profile file \S+nosuch\.json \(ENOENT\): check the path, or use a built-in profile: sysv, seed, daemon3, systemd$/);
    expect(() => resolveProfile('sysv', { allowIgnored: ['SIGNOPE'] })).toThrow(/unknown signal "SIGNOPE"/);
  });

  test('an unset expectation skips its rule instead of passing it', async () => {
    const paths = stepPaths(workDir());
    const report = await checkOnHost(stepsCommand(correctSteps(paths)), { profile: 'seed', umask: 0o022 });
    const s = statuses(report);
    for (const rule of ['cwd', 'stdin-devnull', 'stdout-target', 'stderr-target', 'pidfile', 'ready-before-exit', 'log-contents'] as const) {
      expect(s[rule], explain(report)).toBe('skip');
    }
    expect(failing(report), explain(report)).toEqual([]);
    expectClean(report);
  });

  test('daemon3 does not judge not-session-leader: a single-fork daemon passes', async () => {
    const paths = stepPaths(workDir());
    const single = DEFECTS.find((d) => d.name === 'single-fork')!;
    const report = await checkOnHost(stepsCommand(single.steps(paths)), { ...correctExpectations(paths), profile: 'daemon3', umask: 0o022 });
    expect(statuses(report)['not-session-leader']).toBe('skip');
    expect(report.verdict, explain(report)).toBe('pass');
    expectClean(report);
  });
});

describe('--repeat', () => {
  const result = (status: RuleResult['status']): RuleResult => ({
    rule: 'ready-before-exit', title: 't', status, expected: true, actual: status === 'pass', message: status, fix: 'f', reference: 'r',
  });
  test('a rule whose status differs between runs is racy; a stable one keeps its status', () => {
    expect(mergeRuns([[result('pass')], [result('fail')], [result('pass')]])[0]).toMatchObject({ status: 'racy', runs: ['pass', 'fail', 'pass'] });
    expect(mergeRuns([[result('pass')], [result('pass')]])[0]).toMatchObject({ status: 'pass', runs: ['pass', 'pass'] });
  });

  test('repeat 2 of a correct daemon: two full runs, all pass, nothing left', async () => {
    const paths = stepPaths(workDir());
    const report = await checkOnHost(stepsCommand(correctSteps(paths)), { ...correctExpectations(paths), repeat: 2 });
    expect(report.runs).toBe(2);
    expect(report.verdict, explain(report)).toBe('pass');
    expect(report.cleanup.stopped).toHaveLength(2);
    expectClean(report);
  });

  test('a built-in profile suggests umask and cwd; the user’s own values are exact; strict from an option or a profile file', () => {
    expect(resolveProfile('sysv', {}).expect).toMatchObject({ strict: false, exact: [] });
    expect(resolveProfile('sysv', { umask: 0o022 }).expect.exact).toEqual(['umask']);
    expect(resolveProfile('sysv', { strict: true }).expect.strict).toBe(true);
    const mine = { name: 'mine', extends: 'sysv' as const, strict: true, expectations: { cwd: '/srv' } };
    expect(resolveProfile(mine, {}).expect).toMatchObject({ strict: true, exact: ['cwd'], umask: 0o022 });
    expect(() => resolveProfile({ ...mine, strict: 'yes' as unknown as boolean }, {})).toThrow(/"strict" must be true or false/);
  });
});
