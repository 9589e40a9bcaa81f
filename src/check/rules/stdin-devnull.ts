import { citeFd } from '../../trace/cite.js';
import { noDaemon, type Rule, sameFile, skip, verdict } from './rule.js';

export const stdinDevnull: Rule = {
  id: 'stdin-devnull',
  title: 'stdin is /dev/null',
  reference:
    'fd 0 must be open (else the next open() lands on it, and a read of "stdin" reads a data file) and must not be ' +
    "the old terminal: systemd daemon(7), SysV daemons, step 9, connects it to /dev/null. The seed (Crispim 2013) never reopens it: its stdout log takes fd 0.",
  fix: 'open("/dev/null", O_RDWR) and dup2() it onto fd 0 after closing the inherited fds.',
  cite: ({ trace, daemon }) => citeFd(trace, daemon.pid, 0),
  judge(context) {
    const { daemon, expect, identities } = context;
    if (!expect.stdinDevnull) return skip('this profile does not require stdin on /dev/null');
    if (!daemon) return noDaemon(context);
    if (daemon.fds === null) return skip(`the daemon's fds cannot be read: ${daemon.unknown.fds ?? 'unknown'}`);
    const fd0 = daemon.fds.find((fd) => fd.fd === 0);
    if (!fd0) return { status: 'fail', expected: '/dev/null', actual: null, message: 'fd 0 is closed: the next file the daemon opens becomes its stdin' };
    return verdict(sameFile(identities.devnull, fd0), '/dev/null', fd0.target, 'fd 0 is /dev/null', `fd 0 is ${fd0.target}`);
  },
};
