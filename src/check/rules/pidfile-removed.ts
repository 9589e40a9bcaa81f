import { noDaemon, type Rule, skip, verdict } from './rule.js';

export const pidfileRemoved: Rule = {
  id: 'pidfile-removed',
  title: 'After the stop, the pidfile is gone',
  reference:
    'A pidfile left by a stopped daemon names a dead pid, soon a reused one: the next `kill $(cat x.pid)` hits a ' +
    'stranger, and a start that trusts the file refuses to run (systemd daemon(7), SysV daemons: "remove the ' +
    'PID file on exit"; OpenIPC/firmware#2324). Judged after SIGTERM, or after --stop-command.',
  fix: 'On SIGTERM, remove the pidfile (only if it still names this process) before exiting; a stop command that signals the daemon should remove it once the daemon has gone.',
  judge(context) {
    const { daemon, expect, lifecycle } = context;
    if (lifecycle === undefined) return skip('the life-cycle was not checked (--lifecycle)');
    if (expect.pidfile === undefined) return skip('no pidfile given (--pidfile)');
    if (!daemon) return noDaemon(context);
    const stop = lifecycle.stop;
    if (stop === null) return skip(`not judged: ${lifecycle.notRun}`);
    if (stop.survivors.length > 0) return skip('not judged: the daemon did not stop (see stops-on-sigterm)');
    const by = stop.how === 'SIGTERM' ? 'SIGTERM' : 'the stop command';
    return verdict(
      stop.pidfileAfter === null,
      null,
      stop.pidfileAfter,
      `${expect.pidfile} was removed when the daemon stopped on ${by}`,
      `${expect.pidfile} was left behind after the daemon stopped on ${by}, holding ${JSON.stringify(stop.pidfileAfter)}`,
    );
  },
};
