import { noDaemon, type Rule, skip, verdict } from './rule.js';

export const pidfile: Rule = {
  id: 'pidfile',
  title: 'The pidfile holds exactly the daemon\'s pid',
  reference:
    'Service managers and scripts read the pidfile to signal the daemon: it must hold the decimal pid and a ' +
    'newline, nothing else, in a regular file (empty pidfiles: bmc/daemonize#35, go-daemon#64; symlinked ' +
    'pidfiles: Debian #675918; systemd daemon(7), SysV daemons, step 12). Whether it existed when the command ' +
    'returned (Debian #686420) is judged by ready-before-exit, which takes the pidfile as the readiness signal ' +
    'when no --ready-log is given: for a tool that writes it a moment after its parent exits that is a race, ' +
    'which --repeat reports as racy.',
  fix: 'Before the original process exits, write "PID\\n" of the final process (after the last fork) to a temporary regular file and rename() it onto the pidfile.',
  judge(context) {
    const { daemon, expect, pidfileContent, pidfileAtExit } = context;
    if (expect.pidfile === undefined) return skip('no pidfile given (--pidfile)');
    if (!daemon) return noDaemon(context);
    const expected = `${daemon.pid}\n`;
    if (pidfileContent === null) return { status: 'fail', expected, actual: null, message: `${expect.pidfile} never appeared` };
    if (context.pidfileIsSymlink === true) {
      return { status: 'fail', expected, actual: pidfileContent, message: `${expect.pidfile} is a symbolic link: write a regular file (a symlink lets the pidfile write land anywhere)` };
    }
    const late =
      pidfileAtExit !== null && (pidfileAtExit.pid === null || !pidfileAtExit.alive)
        ? ` (it ${pidfileAtExit.pid === null ? 'did not exist yet' : `named pid ${pidfileAtExit.pid}, not running,`} when the command returned: see ready-before-exit)`
        : '';
    return verdict(
      pidfileContent === expected,
      expected,
      pidfileContent,
      `${expect.pidfile} holds ${daemon.pid}${late}`,
      `${expect.pidfile} holds ${JSON.stringify(pidfileContent)}, not ${JSON.stringify(expected)}${late}`,
    );
  },
};
