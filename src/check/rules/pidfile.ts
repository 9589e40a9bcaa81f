import { noDaemon, type Rule, skip, verdict } from './rule.js';

export const pidfile: Rule = {
  id: 'pidfile',
  title: 'The pidfile holds exactly the daemon\'s pid',
  reference:
    'Service managers and scripts read the pidfile to signal the daemon: it must exist once the command returns ' +
    'and hold the decimal pid and a newline, nothing else (empty pidfiles: bmc/daemonize#35, go-daemon#64; ' +
    'systemd daemon(7), SysV daemons, step 12).',
  fix: 'Before the original process exits, write "PID\\n" of the final process (after the last fork) to a temporary regular file and rename() it onto the pidfile.',
  judge(context) {
    const { daemon, expect, pidfileContent, pidfileAtExit } = context;
    if (expect.pidfile === undefined) return skip('no pidfile given (--pidfile)');
    if (!daemon) return noDaemon(context, 'PID\\n');
    const expected = `${daemon.pid}\n`;
    if (pidfileContent === null) return { status: 'fail', expected, actual: null, message: `${expect.pidfile} never appeared` };
    if (context.pidfileIsSymlink === true) {
      return { status: 'fail', expected, actual: pidfileContent, message: `${expect.pidfile} is a symbolic link: write a regular file (a symlink lets the pidfile write land anywhere)` };
    }
    if (pidfileAtExit !== null && (pidfileAtExit.pid === null || !pidfileAtExit.alive)) {
      const then = pidfileAtExit.pid === null ? 'did not exist (or held no pid)' : `named pid ${pidfileAtExit.pid}, which was not running`;
      return { status: 'fail', expected, actual: pidfileContent, message: `${expect.pidfile} ${then} when the command returned; it appeared only later` };
    }
    return verdict(
      pidfileContent === expected,
      expected,
      pidfileContent,
      `${expect.pidfile} holds ${daemon.pid}`,
      `${expect.pidfile} holds ${JSON.stringify(pidfileContent)}, not ${JSON.stringify(expected)}`,
    );
  },
};
