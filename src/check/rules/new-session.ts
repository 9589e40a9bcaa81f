import { citeCall } from '../../trace/cite.js';
import { noDaemon, type Rule, verdict } from './rule.js';

export const newSession: Rule = {
  id: 'new-session',
  title: "The daemon has left the caller's session (setsid)",
  reference:
    'setsid() detaches from the login session and its controlling terminal, so a logout or a Ctrl-C in the ' +
    "terminal does not reach the daemon (POSIX setsid(); systemd daemon(7), SysV daemons, step 6; step 2 of the seed, Crispim 2013).",
  fix: 'Call setsid() in the first child, after the first fork.',
  cite: ({ trace, daemon }) => citeCall(trace, daemon.pid, ['setsid'], 'setsid()'),
  judge(context) {
    const { daemon, launcher } = context;
    const expected = `not ${launcher.sid}`;
    if (!daemon) return noDaemon(context);
    return verdict(
      daemon.sid !== launcher.sid,
      expected,
      daemon.sid,
      `session ${daemon.sid}, not the launcher's ${launcher.sid}`,
      `the daemon is still in the launcher's session ${launcher.sid}`,
    );
  },
};
