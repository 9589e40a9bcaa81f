import { noDaemon, type Rule, verdict } from './rule.js';

export const newSession: Rule = {
  id: 'new-session',
  title: "The daemon has left the caller's session (setsid)",
  reference:
    'setsid() detaches from the login session and its controlling terminal, so a logout or a Ctrl-C in the ' +
    "terminal does not reach the daemon (POSIX setsid(); systemd daemon(7), SysV daemons, step 6; the seed's step 2).",
  fix: 'Call setsid() in the first child, after the first fork.',
  judge(context) {
    const { daemon, launcher } = context;
    const expected = `not ${launcher.sid}`;
    if (!daemon) return noDaemon(context, expected);
    return verdict(
      daemon.sid !== launcher.sid,
      expected,
      daemon.sid,
      `session ${daemon.sid}, not the launcher's ${launcher.sid}`,
      `the daemon is still in the launcher's session ${launcher.sid}`,
    );
  },
};
