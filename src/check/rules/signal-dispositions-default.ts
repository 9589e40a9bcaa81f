import { signalName, signalNumber } from '../../ffi/constants.js';
import { noDaemon, type Rule, verdict } from './rule.js';

export const signalDispositionsDefault: Rule = {
  id: 'signal-dispositions-default',
  title: 'No signal is ignored (beyond an allow-list)',
  reference:
    'Ignored dispositions survive fork and exec (caught ones are reset): a daemon started by a process that ' +
    'ignores SIGTERM or SIGHUP cannot be stopped or reloaded (systemd daemon(7), SysV daemons, step 2: reset all ' +
    'signal handlers). The checker ignores SIGUSR2 before running the command. Runtimes ignore some on purpose ' +
    '(Node and Python: SIGPIPE, SIGXFSZ): list those with --allow-ignored.',
  fix: 'Set every signal the daemon does not handle itself to SIG_DFL at start-up.',
  judge(context) {
    const { daemon, expect } = context;
    const allowed = new Set(expect.allowIgnored.map((name) => signalNumber(name) ?? -1));
    const expected = expect.allowIgnored.length ? `only ${expect.allowIgnored.join(', ')}` : [];
    if (!daemon) return noDaemon(context, expected);
    const ignored = daemon.signals.ignored.filter((n) => !allowed.has(n)).map(signalName);
    return verdict(ignored.length === 0, expected, daemon.signals.ignored.map(signalName), 'no unexpected ignored signal', `ignored: ${ignored.join(', ')}`);
  },
};
