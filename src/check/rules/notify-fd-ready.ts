import { type Rule, skip } from './rule.js';

export const notifyFdReady: Rule = {
  id: 'notify-fd-ready',
  title: 'Readiness on the notification fd (s6): a newline before the command returns',
  reference:
    "s6's readiness protocol (s6-supervise notification-fd): the service writes a newline to fd N when it is " +
    'ready, then closes it; an end of file without a newline means the start failed. Judged from outside: the ' +
    'checker holds the read end of the pipe it gave the command at fd N, and samples it the moment the ' +
    'command returned.',
  fix: 'Write "\\n" to the notification fd once the daemon can serve (after binding its sockets), close it, and let the original exit only then; on a failed start, close it without writing and exit non-zero.',
  judge({ notifyFd, launcher }) {
    if (notifyFd === undefined) return skip('no notification fd given (--notify-fd)');
    const { fd, atExit, settled } = notifyFd;
    const expected = { newlineBeforeReturn: true };
    // The launcher shell holds a copy of fd N until the hangup: an end of file is seen only after it, in `settled`.
    const actual = { atExit: atExit && atExit.text, later: { text: settled.text, closed: settled.closed } };
    if (atExit === null) return { status: 'fail', expected, actual, message: `the command never returned, so fd ${fd} never handed over a ready daemon` };
    if (atExit.text.includes('\n')) {
      const open = settled.closed ? '' : ` (the daemon still holds fd ${fd} open: s6 expects it closed after the newline)`;
      return { status: 'pass', expected, actual, message: `a newline arrived on fd ${fd} before the command returned${open}` };
    }
    if (settled.text.includes('\n')) return { status: 'fail', expected, actual, message: `the newline arrived on fd ${fd} only after the command had returned: the caller was told "started" too early` };
    if (settled.closed) {
      const exit = launcher.exitCode === 0 ? ', yet the command exited 0' : '';
      return { status: 'fail', expected, actual, message: `fd ${fd} was closed without a newline: a failed start${exit}` };
    }
    return { status: 'fail', expected, actual, message: `nothing on fd ${fd}: no newline, and it is still open` };
  },
};
