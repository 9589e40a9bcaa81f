import type { StopObservation } from '../lifecycle/observations.js';
import { noDaemon, type Rule, skip } from './rule.js';

function how(stop: StopObservation): string {
  return stop.how === 'SIGTERM' ? 'SIGTERM' : `the stop command \`${stop.stopCommand ?? ''}\``;
}

export const stopsOnSigterm: Rule = {
  id: 'stops-on-sigterm',
  title: 'SIGTERM (or the stop command) ends the daemon and everything it started',
  reference:
    'SIGTERM is how init scripts, start-stop-daemon --stop, systemd (KillSignal=) and container runtimes ask a ' +
    'daemon to end (systemd daemon(7), SysV daemons: "shut down cleanly on SIGTERM"); after the deadline they ' +
    'use SIGKILL, and workers left behind hold ports, locks and the pidfile. The deadline is --stop-timeout ' +
    '(default 5 s); --stop-command judges a tool\'s own stop command instead.',
  fix: 'Leave SIGTERM at its default or handle it: stop the workers, wait for them, remove the pidfile, exit; never ignore or block it for good.',
  judge(context) {
    const { daemon, lifecycle } = context;
    if (lifecycle === undefined) return skip('the life-cycle was not checked (--lifecycle)');
    if (!daemon) return noDaemon(context);
    const stop = lifecycle.stop;
    if (stop === null) return skip(`not judged: ${lifecycle.notRun}`);
    const seconds = `${stop.deadlineMs / 1000} s`;
    const expected = { stoppedWithin: seconds, survivors: [] };
    const actual = { targets: stop.targets, survivors: stop.survivors, ...(stop.how === 'stop-command' ? { stopCommandExit: stop.stopCommandExit } : {}) };
    const failedCommand = stop.how === 'stop-command' && stop.stopCommandExit !== 0;
    const output = stop.stopCommandOutput.length > 0 ? `\nits output: ${stop.stopCommandOutput.join(' / ')}` : '';
    if (stop.survivors.length > 0) {
      const daemonLeft = stop.survivors.includes(daemon.pid);
      const what = daemonLeft ? `the daemon (pid ${daemon.pid}) still ran` : `the daemon ended but pid ${stop.survivors.join(', ')} it started still ran`;
      return { status: 'fail', expected, actual, message: `${seconds} after ${how(stop)}, ${what} (the checker then killed ${stop.survivors.length > 1 ? 'them' : 'it'})${output}` };
    }
    if (failedCommand) {
      return { status: 'fail', expected, actual, message: `${how(stop)} exited ${stop.stopCommandExit ?? 'abnormally (killed at the deadline)'}, though the daemon ended${output}` };
    }
    const others = stop.targets.length - 1;
    const and = others > 0 ? ` and the ${others} process${others > 1 ? 'es' : ''} it had started` : '';
    return { status: 'pass', expected, actual, message: `${how(stop)} ended the daemon${and} within ${seconds}` };
  },
};
