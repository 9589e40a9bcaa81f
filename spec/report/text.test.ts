import { describe, expect, it } from 'vitest';
import { colorFor, renderText } from '../../src/report/index.js';
import { mixedReport, report, rule } from './sample-report.js';

const ESC = '\u001b[';

describe('renderText', () => {
  it('has a header with command, profile, launcher and daemon pid', () => {
    const [first, second] = renderText(mixedReport()).split('\n');
    expect(first).toBe("daemonspec check /usr/bin/python3 daemon.py fork 'stdout=/tmp/a b.log'");
    expect(second).toContain('profile sysv');
    expect(second).toContain('launcher exited 0, ready at exit: yes');
    expect(second).toContain('daemon pid 4242 (ppid 1, pgid 4241, sid 4241)');
  });

  it("names the planted traps, so a kept 0077 reads as the checker's trap (issue 16.5)", () => {
    const third = renderText(mixedReport()).split('\n')[2];
    expect(third).toBe(
      '  traps planted by the checker, for the daemon to undo: umask 0035, blocked SIGVTALRM SIG45, ignored SIGSTKFLT SIG50, ' +
        'leaked fds 57 (pipe), 211 (file), cwd /tmp/daemonspec-check-x/caller-00a1b2',
    );
  });

  it('prints one line per rule with its mark, and evidence and fix under a failure', () => {
    const lines = renderText(mixedReport()).split('\n');
    const at = (rule: string): number => lines.findIndex((l) => new RegExp(`^  . ${rule} `).test(l));
    expect(lines[at('new-session')]).toMatch(/^ {2}✓ new-session +Runs in a new session/);
    expect(lines[at('umask')]).toMatch(/^ {2}✗ umask +umask is the expected one +expected 0022, actual 0077$/);
    expect(lines[at('umask') + 1]).toBe('      the daemon kept its caller umask 0077 (/proc/4242/status Umask: 0077)');
    expect(lines[at('umask') + 2]).toBe('      fix: call umask(0o022) after the fork');
    expect(lines[at('pidfile')]).toMatch(/^ {2}– pidfile .*skipped: no --pidfile given$/);
    expect(lines[at('ready-before-exit')]).toMatch(/^ {2}~ ready-before-exit /);
    expect(lines[at('ready-before-exit') + 1]).toBe('      runs: pass, fail, pass');
  });

  it('ends with a summary line and a newline', () => {
    const text = renderText(mixedReport());
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n').at(-1)).toBe('FAIL 1 passed, 1 failed, 1 racy, 1 skipped of 4 rules in 312 ms');
    const pass = renderText(report([rule({ rule: 'cwd' })]));
    expect(pass.trimEnd().split('\n').at(-1)).toBe('PASS 1 passed of 1 rules in 312 ms');
  });

  it('uses colour only when asked', () => {
    expect(renderText(mixedReport())).not.toContain(ESC);
    const coloured = renderText(mixedReport(), { color: true });
    expect(coloured).toContain(`${ESC}31m✗${ESC}0m`);
    expect(coloured).toContain(`${ESC}32m✓${ESC}0m`);
  });

  it('makes control characters from the daemon visible instead of sending them to the terminal', () => {
    const r = report([rule({ rule: 'log-contents', message: 'saw \u001b[2Jcleared', actual: 'a\u0007b' }, 'fail')], {
      notes: ['two daemons\u001b]0;title\u0007 found'],
    });
    const text = renderText(r);
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
    expect(text).toContain('saw \\x1b[2Jcleared');
    expect(text).toContain('note: two daemons\\x1b]0;title\\x07 found');
  });

  it('says when there is no daemon, the launcher timed out, or something was left running', () => {
    const r = report([rule({ rule: 'launcher-exit' }, 'fail')], {
      daemon: null,
      launcher: { exitCode: null, signal: 'SIGKILL', readyAtExit: null, timedOut: true },
      cleanup: { stopped: [], leftRunning: [77] },
    });
    const text = renderText(r);
    expect(text).toContain('launcher did not exit (timed out, killed); no daemon found');
    expect(text).toContain('warning: still running after the check: 77');
  });
});

describe('renderText: seed, attribution and no daemon', () => {
  it('prints the seed in the header, and strict when it was used', () => {
    expect(renderText(mixedReport()).split('\n')[1]).toContain('profile sysv, isolation host, seed 5eed0001;');
    expect(renderText({ ...mixedReport(), strict: true }).split('\n')[1]).toContain('profile sysv, strict, isolation host, seed 5eed0001;');
  });

  it('notes chosen state under a passing rule, and never as a failure', () => {
    const r = report([
      rule({ rule: 'signal-dispositions-default', findings: [{ what: 'SIGPIPE ignored', attribution: 'chosen' }, { what: 'SIGSYS ignored', attribution: 'chosen' }] }),
    ]);
    const lines = renderText(r).split('\n');
    const at = lines.findIndex((l) => l.includes('✓ signal-dispositions-default'));
    expect(lines[at + 1]).toBe('      note: chosen by the program, not a failure: SIGPIPE ignored, SIGSYS ignored');
    expect(lines.at(-2)).toMatch(/^PASS 1 passed/);
  });

  it('leads with why no daemon was found: how the command ended and its last output', () => {
    const r = report([rule({ rule: 'launcher-exit' }, 'fail'), rule({ rule: 'cwd', message: 'not judged: nothing is running' }, 'skip')], {
      daemon: null,
      verdict: 'fail',
      noDaemon: { reason: 'the command exited with status 1; nothing the command started is still running', lastLines: ['nginx: [emerg] bind() failed'] },
    });
    const lines = renderText(r).split('\n');
    expect(lines.slice(4, 8)).toEqual([
      'no daemon found: the command exited with status 1; nothing the command started is still running',
      '  last output of the command:',
      '    nginx: [emerg] bind() failed',
      '',
    ]);
    expect(lines.at(-2)).toMatch(/^FAIL no daemon found, 0 passed, 1 failed, 1 skipped/);
  });
});

describe('colorFor', () => {
  it('is true only on a TTY without NO_COLOR', () => {
    expect(colorFor({ isTTY: true }, {})).toBe(true);
    expect(colorFor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorFor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorFor({ isTTY: false }, {})).toBe(false);
    expect(colorFor({}, {})).toBe(false);
  });
});
