import { citeCall } from '../../trace/cite.js';
import { noDaemon, type Rule, verdict } from './rule.js';

export const notSessionLeader: Rule = {
  id: 'not-session-leader',
  title: 'The daemon is not a session leader (second fork)',
  reference:
    'A session leader without a controlling terminal acquires one when it opens a terminal device without ' +
    'O_NOCTTY (POSIX XBD 11.1.3 leaves it implementation-defined; Linux and macOS do it). The second fork makes ' +
    "that impossible (systemd daemon(7), SysV daemons, step 7; step 3 of the seed, Crispim 2013). daemon(3) and libuv skip it.",
  fix: 'After setsid(), fork again and let the session leader exit; the grandchild is the daemon.',
  // The last setsid() or fork along the chain: a setsid() in the daemon itself, with no fork after it.
  cite: ({ trace, daemon }) => citeCall(trace, daemon.pid, ['setsid', 'fork', 'vfork', 'clone', 'clone3'], 'setsid() or fork'),
  judge(context) {
    const { daemon } = context;
    if (!daemon) return noDaemon(context);
    return verdict(
      daemon.sid !== daemon.pid,
      'sid ≠ pid',
      { pid: daemon.pid, sid: daemon.sid },
      `session ${daemon.sid} is led by another process`,
      `the daemon leads its own session ${daemon.sid}: opening a tty without O_NOCTTY would make it its controlling terminal`,
    );
  },
};
