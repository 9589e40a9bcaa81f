import { noDaemon, type Rule, verdict } from './rule.js';

export const noControllingTty: Rule = {
  id: 'no-controlling-tty',
  title: 'The daemon has no controlling terminal',
  reference:
    "A process with a controlling terminal gets SIGHUP when it hangs up and SIGINT/SIGTSTP from its keyboard; a daemon must have none (POSIX XBD 11.1.3; systemd daemon(7), SysV daemons, step 6). An fd open on a tty is not a controlling terminal: /proc/P/stat tty_nr says.",
  fix: 'Call setsid() (in a process that is not a process group leader: fork first).',
  judge(context) {
    const { daemon } = context;
    if (!daemon) return noDaemon(context);
    const name = daemon.tty ? (daemon.tty.name ?? `device ${daemon.tty.device}`) : null;
    return verdict(daemon.tty === null, null, name, 'no controlling terminal', `the daemon's controlling terminal is ${name}`);
  },
};
