import { signalName } from '../../ffi/constants.js';
import { noDaemon, type Rule, skip, verdict } from './rule.js';

export const signalMaskEmpty: Rule = {
  id: 'signal-mask-empty',
  title: 'No signal is blocked',
  reference:
    'The signal mask survives fork and exec: a daemon started by a process that blocked SIGTERM never sees it ' +
    '(systemd daemon(7), SysV daemons, step 3: reset the signal mask). The checker blocks SIGUSR1 before running the command.',
  fix: 'sigprocmask(SIG_SETMASK, &empty, NULL) (pthread_sigmask in a threaded runtime) at start-up.',
  judge(context) {
    const { daemon } = context;
    if (!daemon) return noDaemon(context, []);
    if (daemon.signals.blocked === null) {
      return skip(`the blocked-signal mask cannot be observed here: ${daemon.unknown.blocked ?? daemon.unknown['signals.blocked'] ?? 'unknown'}`);
    }
    const blocked = daemon.signals.blocked.map(signalName);
    // Without the trap an empty mask proves nothing: the daemon never had a signal to unblock.
    if (blocked.length === 0 && !context.launcher.maskTrapSet) {
      return skip('the launcher could not set its SIGUSR1 trap (no bash here): an empty mask proves nothing');
    }
    return verdict(blocked.length === 0, [], blocked, 'nothing blocked', `blocked: ${blocked.join(', ')}`);
  },
};
