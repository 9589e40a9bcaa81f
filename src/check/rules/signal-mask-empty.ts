import { signalName } from '../../ffi/constants.js';
import { describeSplit, names, sameValueCaveat, signalFindings, splitSignals } from './attribution.js';
import { citeCall } from '../../trace/cite.js';
import { blockedByChain } from '../../trace/own-setting.js';
import { noDaemon, type Rule, skip, verdict } from './rule.js';

export const signalMaskEmpty: Rule = {
  id: 'signal-mask-empty',
  title: 'No signal blocked by the caller is still blocked',
  reference:
    'The signal mask survives fork and exec: a daemon started by a process that blocked SIGTERM never sees it ' +
    '(systemd daemon(7), SysV daemons, step 3: reset the signal mask). The checker blocks two signals drawn from ' +
    'a pool no common daemon touches; a signal the program blocks itself (for sigwait or a signalfd) is its own ' +
    'choice, a note (a failure only with --strict).',
  fix: 'sigprocmask(SIG_SETMASK, &empty, NULL) (pthread_sigmask in a threaded runtime) at start-up.',
  cite: ({ trace, daemon }) =>
    citeCall(trace, daemon.pid, ['rt_sigprocmask'], 'rt_sigprocmask(SIG_SETMASK or SIG_UNBLOCK)', (e) => /SIG_SETMASK|SIG_UNBLOCK/.test(e.args[0] ?? '')),
  judge(context) {
    const { daemon, caller, expect } = context;
    if (!daemon) return noDaemon(context);
    if (daemon.signals.blocked === null) {
      return skip(`the blocked-signal mask cannot be observed here: ${daemon.unknown.blocked ?? daemon.unknown['signals.blocked'] ?? 'unknown'}`);
    }
    const blocked = daemon.signals.blocked;
    // Without the trap an empty mask proves nothing: the daemon never had a signal to unblock.
    if (blocked.length === 0 && !context.launcher.maskTrapSet) {
      return skip('the launcher could not set its blocked-signal traps (no bash here): an empty mask proves nothing');
    }
    // Blocked in the caller too: inherited, unless the trace shows the program's own SIG_BLOCK of it.
    const trace = context.trace;
    const planted = (context.launcher.maskTrapSet ? caller.blockedSignals : []).filter((n) => trace === null || blockedByChain(trace, daemon.pid, signalName(n)) !== true);
    const split = splitSignals(blocked, planted);
    const whileIn = daemon.signals.blockedWhileIn;
    // A waiting call's mask: what it still blocks of the caller's, the program built from its own
    // mask (pselect with the mask it started with); what it lets through may be blocked outside it.
    if (whileIn !== undefined && split.inherited.length === 0) {
      return skip(`the daemon waits in ${whileIn}, which replaces its signal mask while it waits: /proc shows that mask (${names(blocked) || 'empty'}), not its own`);
    }
    const findings = signalFindings(split, 'blocked');
    const actual = blocked.map(signalName);
    if (expect.strict) {
      return { ...verdict(blocked.length === 0, [], actual, 'nothing blocked', `blocked: ${describeSplit(split)}`), findings };
    }
    const expected = `none of ${names(caller.blockedSignals)}`;
    const chosen = split.chosen.length > 0 ? `; the program blocks ${names(split.chosen)} itself (chosen, a note)` : '';
    return {
      ...verdict(
        split.inherited.length === 0,
        expected,
        actual,
        `none of the caller's blocked signals is still blocked${chosen}`,
        `still blocked from the caller: ${names(split.inherited)}${whileIn === undefined ? '' : ` (in the mask the daemon waits in ${whileIn} with, made from its own)`}${sameValueCaveat(context)}${chosen}`,
      ),
      findings,
    };
  },
};
