import { logRegex, type Rule, skip, verdict } from './rule.js';

export const logContents: Rule = {
  id: 'log-contents',
  title: 'The logs contain the expected output',
  reference:
    "Output written to stdout/stderr must reach the log files: the seed's (Crispim 2013) fd mix-up sends fd 1 into the stderr log " +
    'and loses fd 2; a daemon that dies during set-up leaves its error there, or nowhere.',
  fix: 'Redirect fds 1 and 2 onto the log files with dup2() and flush before forking.',
  judge({ expect, logs }) {
    if (expect.expectLog === undefined) return skip('no expected log line given (--expect-log)');
    if (expect.stdout === undefined && expect.stderr === undefined) {
      return { status: 'fail', expected: `/${expect.expectLog}/`, actual: null, message: 'no log file to search: give --stdout and/or --stderr' };
    }
    // One file given as both (--stdout F --stderr F) is searched, and shown, once.
    const text = expect.stdout === expect.stderr ? (logs.stdout ?? '') : `${logs.stdout ?? ''}\n${logs.stderr ?? ''}`;
    const lastLines = text.trim().split('\n').slice(-3).join(' | ');
    return verdict(
      logRegex(expect.expectLog).test(text),
      `/${expect.expectLog}/`,
      lastLines,
      `a log line matches /${expect.expectLog}/`,
      `no line of ${[expect.stdout, expect.stderr].filter(Boolean).join(' or ')} matches /${expect.expectLog}/`,
    );
  },
};
