import { noDaemon, octal, type Rule, skip, verdict } from './rule.js';

export const umask: Rule = {
  id: 'umask',
  title: 'The umask is reset',
  reference:
    'The umask is inherited across fork and exec: a daemon started from a shell with umask 077 (the checker sets ' +
    'that trap) creates files nobody else can read, one started with 000 creates world-writable ones. daemon(7) ' +
    "says reset it (to 0); most tools use 022 or 027. The seed's umask(0) is measured against the profile's value.",
  fix: 'Call umask() with the expected value in the daemon before it creates files.',
  judge(context) {
    const { daemon, expect } = context;
    if (expect.umask === undefined) return skip('no expected umask given (--umask)');
    const expected = octal(expect.umask);
    if (!daemon) return noDaemon(context, expected);
    if (daemon.umask === null) return skip(`the umask cannot be observed here: ${daemon.unknown.umask ?? 'unknown'}`);
    const actual = octal(daemon.umask);
    return verdict(daemon.umask === expect.umask, expected, actual, `umask ${actual}`, `umask ${actual}, expected ${expected}`);
  },
};
