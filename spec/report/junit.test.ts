import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/index.js';
import { skipUnlessCapable } from '../posix/support.js';
import { mixedReport, report, rule } from './sample-report.js';
import { fileDir } from '../support/temp-dir.js';

const XMLLINT = '/usr/bin/xmllint';
const hasXmllint = spawnSync(XMLLINT, ['--version'], { timeout: 30_000 }).status === 0;
// In CI (scripts/install-debian-deps.sh installs it) its absence fails; locally a skip says why.
const noXmllint = hasXmllint ? null : 'xmllint not installed (apt-get install libxml2-utils): XML validity not checked';
const dir = fileDir('junit-');
let n = 0;

/** Writes the XML, checks it is well formed with xmllint, and returns an XPath evaluator. */
function parsed(xml: string): (xpath: string) => string {
  const file = join(dir, `report-${n++}.xml`);
  writeFileSync(file, xml);
  const lint = spawnSync(XMLLINT, ['--noout', file], { encoding: 'utf8', timeout: 30_000 });
  expect(lint.stderr, `xmllint rejected:\n${xml}`).toBe('');
  expect(lint.status).toBe(0);
  // xmllint ends every XPath result with one newline of its own.
  return (xpath) => execFileSync(XMLLINT, ['--xpath', xpath, file], { encoding: 'utf8', timeout: 30_000 }).replace(/\n$/, '');
}

const NASTY = `quote " apos ' lt < gt > amp & cdata-end ]]> tab\tnl\ncr\r esc \u001b[31m bell \u0007 nul \u0000 é ✓ 日本 😀 lone \ud800 fffe \ufffe`;

describe('renderJunit', () => {
  it('is well-formed JUnit: one testcase per rule, failures, skipped', (context) => {
    skipUnlessCapable(context, noXmllint);
    const q = parsed(renderJunit(mixedReport()));
    expect(q('count(/testsuites/testsuite)')).toBe('1');
    expect(q('count(//testcase)')).toBe('4');
    expect(q('string(/testsuites/@tests)')).toBe('4');
    expect(q('string(/testsuites/@failures)')).toBe('2');
    expect(q('string(/testsuites/@skipped)')).toBe('1');
    expect(q('count(//testcase[skipped])')).toBe('1');
    expect(q('string(//testcase[failure][1]/@name)')).toBe('umask: umask is the expected one');
    expect(q('string(//testcase[starts-with(@name,"umask")]/failure/@message)')).toBe(
      'the daemon kept its caller umask 0077 (/proc/4242/status Umask: 0077)',
    );
    const body = q('string(//testcase[starts-with(@name,"umask")]/failure)');
    expect(body).toContain('expected: 0022');
    expect(body).toContain('actual: 0077');
    expect(body).toContain('fix: call umask(0o022) after the fork');
    expect(q('string(//testcase[starts-with(@name,"ready-before-exit")]/failure/@type)')).toBe('racy');
    expect(q('string(//property[@name="daemon.pid"]/@value)')).toBe('4242');
    expect(q('string(/testsuites/testsuite/@time)')).toBe('0.312');
  });

  it('escapes quotes, <, &, ]]>, control characters and unicode in attributes and text', (context) => {
    skipUnlessCapable(context, noXmllint);
    const r = report([rule({ rule: 'log-contents', title: NASTY, message: NASTY, fix: NASTY, actual: NASTY }, 'fail')], {
      command: ['/bin/echo', NASTY],
      terminalOutput: NASTY,
      notes: [NASTY],
    });
    const q = parsed(renderJunit(r));
    const message = q('string(//failure/@message)');
    expect(message).toContain(`quote " apos ' lt < gt > amp & cdata-end ]]> tab\tnl\ncr\r esc \\x1b[31m bell \\x07 nul \\x00 é ✓ 日本 😀 lone \ufffd fffe \\xfffe`);
    expect(q('string(//failure)')).toContain('fix: quote " apos');
    expect(q('string(//system-err)')).toContain('日本 😀');
    expect(q('string(/testsuites/testsuite/@name)')).toContain("quote \" apos '\\'' lt");
  });

  it('puts several reports in one file, one suite each, with the totals summed', (context) => {
    skipUnlessCapable(context, noXmllint);
    const q = parsed(
      renderJunit([
        { name: 'python-daemon', report: mixedReport() },
        { name: 'correct', report: report([rule({ rule: 'cwd' }), rule({ rule: 'umask' })]) },
      ]),
    );
    expect(q('count(//testsuite)')).toBe('2');
    expect(q('string(//testsuite[2]/@name)')).toBe('correct');
    expect(q('string(/testsuites/@tests)')).toBe('6');
    expect(q('string(/testsuites/@failures)')).toBe('2');
    expect(q('count(//testsuite[2]//failure)')).toBe('0');
  });

  it('never emits a raw control character or an unescaped < in text (checked without xmllint)', () => {
    const xml = renderJunit(report([rule({ rule: 'cwd', message: '<a>&\u0001' }, 'fail')]));
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).toContain('message="&lt;a&gt;&amp;\\x01"');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
  });

  it('carries the seed as a property, chosen state in system-out, and no daemon as one error', (context) => {
    skipUnlessCapable(context, noXmllint);
    const chosen = rule({ rule: 'umask', findings: [{ what: 'umask 0000', attribution: 'chosen' }] });
    const q = parsed(renderJunit(report([chosen])));
    expect(q('string(//property[@name="seed"]/@value)')).toBe('5eed0001');
    expect(q('string(//testsuite/system-out)')).toBe('note: umask: chosen by the program, not a failure: umask 0000');
    const none = report([rule({ rule: 'launcher-exit' }, 'fail'), rule({ rule: 'cwd', message: 'not judged: nothing is running' }, 'skip')], {
      daemon: null,
      noDaemon: { reason: 'the command exited with status 1; nothing is running', lastLines: ['bind() failed'] },
    });
    const n = parsed(renderJunit(none));
    expect(n('string(/testsuites/@errors)')).toBe('1');
    expect(n('string(/testsuites/@failures)')).toBe('1');
    expect(n('string(/testsuites/@tests)')).toBe('3');
    expect(n('string(//testcase[1]/error/@message)')).toBe('no daemon found: the command exited with status 1; nothing is running');
    expect(n('string(//testcase[1]/error)')).toContain('bind() failed');
    expect(n('count(//testcase[skipped])')).toBe('1');
  });

  it('classnames carry the OS and the isolation (daemonspec.<os>.<isolation>.<profile>)', () => {
    const xml = renderJunit(report([rule({ rule: 'umask' }, 'fail')], { isolation: 'namespace', profile: './my profile.json' }), { os: 'darwin' });
    expect(xml).toContain('classname="daemonspec.darwin.namespace.__my_profile_json"');
    expect(renderJunit(mixedReport())).toContain(`classname="daemonspec.${process.platform}.host.sysv"`);
  });
});
