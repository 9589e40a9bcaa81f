import { type Rule, skip, verdict } from './rule.js';

export const readyBeforeExit: Rule = {
  id: 'ready-before-exit',
  title: 'The daemon is ready when the command returns',
  reference:
    'The original process should exit only after the daemon signalled that initialisation is complete (systemd ' +
    'daemon(7), SysV daemons, steps 14-15); otherwise a failed start is reported as success (janus-gateway#408, ' +
    "memcached#125, Debian #686420) and the next command races the daemon. The seed's (Crispim 2013) parent exits at once.",
  fix: 'Have the daemon notify the original process through a pipe once it is ready (pidfile written, sockets bound), and exit only then.',
  judge({ expect, launcher }) {
    if (expect.readyLog === undefined && expect.pidfile === undefined) {
      return skip('no readiness evidence given (--ready-log or --pidfile)');
    }
    const evidence = expect.readyLog !== undefined ? `a log line matching /${expect.readyLog}/` : `the pidfile ${expect.pidfile} naming a live process`;
    if (launcher.timedOut || launcher.readyAtExit === null) {
      return { status: 'fail', expected: true, actual: null, message: 'the original process never exited, so it never handed over a ready daemon' };
    }
    return verdict(
      launcher.readyAtExit,
      true,
      launcher.readyAtExit,
      `${evidence} was present when the original process exited`,
      `the original process exited before ${evidence} existed`,
    );
  },
};
