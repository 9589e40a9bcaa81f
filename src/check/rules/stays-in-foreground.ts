import { type Rule, skip } from './rule.js';

function exitText(status: number): string {
  return status > 128 ? `was killed by signal ${status - 128}` : `exited with status ${status}`;
}

export const staysInForeground: Rule = {
  id: 'stays-in-foreground',
  title: "A new-style service does not daemonize: the command's own process runs on",
  reference:
    "systemd daemon(7), 'New-Style Daemons': do not fork to the background, do not call setsid(), do not write a " +
    'pidfile; the supervisor already runs the service as a daemon, and with Type=notify it takes the exit of the ' +
    "process it started as the service's end. Judged as systemd sees it: the command's own process must still run " +
    'when READY=1 arrives (or at the deadline).',
  fix: 'Remove the fork, setsid and exit of the daemonizing step (or give the program its foreground flag: --foreground, -D, --nodaemon, daemon off), keep the process that was started, and send READY=1 from it.',
  judge({ service }) {
    if (service === undefined) return skip('not a new-style service (--profile systemd)');
    const { mainPid, returned, readyArrived } = service;
    const expected = { running: true };
    const actual = { mainPid, returned: returned === null ? null : { status: returned.status }, readyArrived };
    if (returned !== null) {
      const why = readyArrived ? '' : returned.status === 0 ? ' before READY=1: it daemonized (forked and returned), which a new-style service must not do' : ' before READY=1: the start failed';
      return { status: 'fail', expected, actual, message: `the command's own process${mainPid === null ? '' : ` (pid ${mainPid})`} ${exitText(returned.status)}${why}` };
    }
    const when = readyArrived ? ' when READY=1 arrived' : ' at the deadline';
    return { status: 'pass', expected, actual, message: `the command's own process (pid ${mainPid ?? '?'}) was still running${when}` };
  },
};
