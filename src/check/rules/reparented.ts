import { noDaemon, type Rule, verdict } from './rule.js';

export const reparented: Rule = {
  id: 'reparented',
  title: 'The daemon is an orphan, adopted by init (or the nearest subreaper)',
  reference:
    'A daemon detaches from whoever started it: its parent exits, so it is adopted by PID 1 or the nearest ' +
    'PR_SET_CHILD_SUBREAPER ancestor (here the checker). A process still parented by the shell is a job, not a daemon ' +
    '(systemd daemon(7), SysV daemons, steps 5-7).',
  fix: 'fork() and let the parent exit; with a double fork, let the intermediate child exit too.',
  judge(context) {
    const expected = [...new Set([1, context.checkerPid])];
    const { daemon, launcher } = context;
    if (!daemon) return noDaemon(context);
    const parent =
      daemon.ppid === launcher.pid ? 'the launcher shell (the command is still its job)' : `pid ${daemon.ppid}, which is still running`;
    return verdict(
      expected.includes(daemon.ppid),
      expected,
      daemon.ppid,
      `adopted by pid ${daemon.ppid}`,
      `the daemon's parent is ${parent}`,
    );
  },
};
