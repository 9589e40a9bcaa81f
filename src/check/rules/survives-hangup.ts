import { noDaemon, type Rule, verdict } from './rule.js';

export const survivesHangup: Rule = {
  id: 'survives-hangup',
  title: 'The daemon survives the terminal hanging up',
  reference:
    'When the user logs out, the terminal hangs up: the session leader and the foreground group get SIGHUP (POSIX ' +
    'XBD 11.1.10). A daemon in its own session without a controlling terminal is not touched. The checker closes ' +
    'the pty master, as a logout does, and checks the same process (pid and start time) is still running.',
  fix: 'setsid() (and a second fork), so no hangup of the old terminal reaches the daemon.',
  judge(context) {
    const { daemon, survivedHangup } = context;
    if (!daemon) return noDaemon(context);
    return verdict(survivedHangup === true, true, survivedHangup, 'still running after the hangup', 'the daemon died when the terminal hung up');
  },
};
