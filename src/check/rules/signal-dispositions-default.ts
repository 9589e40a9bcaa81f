import { signalName, signalNumber } from '../../ffi/constants.js';
import { describeSplit, names, sameValueCaveat, signalFindings, splitSignals } from './attribution.js';
import { citeCall } from '../../trace/cite.js';
import { ignoredByChain } from '../../trace/own-setting.js';
import { noDaemon, type Rule, verdict } from './rule.js';

export const signalDispositionsDefault: Rule = {
  id: 'signal-dispositions-default',
  title: 'No signal ignored by the caller is still ignored',
  reference:
    'Ignored dispositions survive fork and exec (caught ones are reset): a daemon started by a process that ' +
    'ignores SIGTERM or SIGHUP cannot be stopped or reloaded (systemd daemon(7), SysV daemons, step 2: reset all ' +
    'signal handlers). The checker ignores two signals drawn from a pool no common daemon touches. A signal the ' +
    'program ignores itself (every network server ignores SIGPIPE; Node and Python ignore SIGPIPE and SIGXFSZ) is ' +
    'its own choice, a note; --strict fails on it too, unless listed with --allow-ignored.',
  fix: 'Set every signal the daemon does not handle itself to SIG_DFL at start-up.',
  // For each signal still ignored from the caller: the last rt_sigaction() of it along the chain, or that there was none.
  cite: ({ trace, daemon, caller }) => {
    const cited = daemon.signals.ignored
      .filter((n) => caller.ignoredSignals.includes(n))
      .map((n) => signalName(n))
      .map((name) => citeCall(trace, daemon.pid, ['rt_sigaction'], `rt_sigaction(${name}, …)`, (e) => e.args[0] === name));
    return cited.length === 0 || cited.includes(null) ? null : cited.map((c, i) => (i === 0 ? c : c!.replace(/^trace: /, ''))).join('; ');
  },
  judge(context) {
    const { daemon, expect, caller } = context;
    const allowed = new Set(expect.allowIgnored.map((name) => signalNumber(name) ?? -1));
    if (!daemon) return noDaemon(context);
    const ignored = daemon.signals.ignored.filter((n) => !allowed.has(n));
    // Ignored in the caller too: inherited, unless the trace shows the program's own rt_sigaction() set SIG_IGN.
    const trace = context.trace;
    const planted = caller.ignoredSignals.filter((n) => trace === null || ignoredByChain(trace, daemon.pid, signalName(n)) !== true);
    const split = splitSignals(ignored, planted);
    const findings = signalFindings(split, 'ignored');
    const actual = daemon.signals.ignored.map(signalName);
    if (expect.strict) {
      const expected = expect.allowIgnored.length ? `only ${expect.allowIgnored.join(', ')}` : [];
      return { ...verdict(ignored.length === 0, expected, actual, 'no unexpected ignored signal', `ignored: ${describeSplit(split)}`), findings };
    }
    const chosen = split.chosen.length > 0 ? `; the program ignores ${names(split.chosen)} itself (chosen, a note)` : '';
    return {
      ...verdict(
        split.inherited.length === 0,
        `none of ${names(caller.ignoredSignals.filter((n) => !allowed.has(n)))}`,
        actual,
        `none of the caller's ignored signals is still ignored${chosen}`,
        `still ignored from the caller: ${names(split.inherited)}${sameValueCaveat(context)}${chosen}`,
      ),
      findings,
    };
  },
};
