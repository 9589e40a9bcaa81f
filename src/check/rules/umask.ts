import type { Attribution } from '../report-types.js';
import { citeCall } from '../../trace/cite.js';
import { umaskSetByChain } from '../../trace/own-setting.js';
import { sameValueCaveat } from './attribution.js';
import { noDaemon, octal, type Rule, skip, verdict } from './rule.js';

export const umask: Rule = {
  id: 'umask',
  title: 'The umask is reset',
  reference:
    'The umask is inherited across fork and exec: a daemon started from a shell with umask 077 creates files ' +
    'nobody else can read, one started with 000 creates world-writable ones. daemon(7) says reset it (to 0); most ' +
    'tools use 022 or 027. The checker plants a umask drawn from a pool no common tool uses: keeping it fails. A ' +
    "umask the program sets itself (nginx's umask(0)) is its choice, a note, unless the user gave --umask (or a " +
    'profile file of theirs does), or --strict: then the exact value is judged.',
  fix: 'Call umask() with the expected value in the daemon before it creates files.',
  cite: ({ trace, daemon }) => citeCall(trace, daemon.pid, ['umask'], 'umask()'),
  judge(context) {
    const { daemon, expect, caller } = context;
    if (expect.umask === undefined) return skip('no expected umask given (--umask)');
    const expected = octal(expect.umask);
    if (!daemon) return noDaemon(context);
    if (daemon.umask === null) return skip(`the umask cannot be observed here: ${daemon.unknown.umask ?? 'unknown'}`);
    const actual = octal(daemon.umask);
    // Equal to the caller's: inherited, unless the trace shows the program's own umask() set it.
    const own = daemon.umask === caller.umask && context.trace !== null && umaskSetByChain(context.trace, daemon.pid, daemon.umask) === true;
    const attribution: Attribution = daemon.umask === caller.umask && !own ? 'inherited' : 'chosen';
    // A finding is a value other than the expected one (or the planted one, even if equal).
    const findings = daemon.umask === expect.umask && attribution === 'chosen' ? [] : [{ what: `umask ${actual}`, attribution }];
    if (caller.umask === expect.umask && daemon.umask === expect.umask) {
      // Kept or set, the value is the expected one: right either way, though this caller cannot tell which.
      return { status: 'pass', expected, actual, message: `umask ${actual}; the planted umask is the expected one, so whether the daemon sets its own is not shown (plant another with --caller-umask)`, findings: [] };
    }
    const kept = `umask ${actual} is the caller's (planted by the checker): the daemon never set its own${sameValueCaveat(context)}`;
    if (expect.strict || expect.exact.includes('umask')) {
      const fail = attribution === 'inherited' ? `${kept}; expected ${expected}` : `umask ${actual}, expected ${expected}`;
      return { ...verdict(daemon.umask === expect.umask, expected, actual, `umask ${actual}`, fail), findings };
    }
    if (attribution === 'inherited') return { status: 'fail', expected, actual, message: kept, findings };
    const pass =
      daemon.umask === expect.umask
        ? `umask ${actual}`
        : `umask ${actual}, chosen by the program${own ? ' (the same as the caller\'s, set by its own umask())' : ''} (the profile suggests ${expected}): a note; give --umask to judge the exact value`;
    return { status: 'pass', expected, actual, message: pass, findings };
  },
};
