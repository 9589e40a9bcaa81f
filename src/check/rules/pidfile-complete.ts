import { noDaemon, type Rule, skip, verdict } from './rule.js';

export const pidfileComplete: Rule = {
  id: 'pidfile-complete',
  title: 'When the command returns, the pidfile holds the whole pid and its newline',
  reference:
    'A script or service manager reads the pidfile as soon as the start command returns (systemd PIDFile=, ' +
    'start-stop-daemon --pidfile, `kill $(cat x.pid)`): an empty or half-written file then names no process or ' +
    'the wrong one (0-byte pidfiles: getpaseo/paseo#4803, bmc/daemonize#35). The launcher copies the pidfile ' +
    'the instant the original process is reaped.',
  fix: 'Write "PID\\n" to a temporary file in the same directory and rename() it onto the pidfile, before the original process exits.',
  judge(context) {
    const { daemon, expect, lifecycle } = context;
    if (lifecycle === undefined) return skip('the life-cycle was not checked (--lifecycle)');
    if (expect.pidfile === undefined) return skip('no pidfile given (--pidfile)');
    if (!daemon) return noDaemon(context);
    const atExit = lifecycle.pidfileAtExit;
    if (atExit === undefined) return skip('the pidfile was not sampled when the command returned (it did not return)');
    const expected = `${daemon.pid}\n`;
    const what = atExit === null ? 'did not exist' : atExit === '' ? 'was empty (0 bytes)' : `held ${JSON.stringify(atExit)}`;
    return verdict(
      atExit === expected,
      expected,
      atExit,
      `${expect.pidfile} held ${daemon.pid} and a newline when the command returned`,
      `when the command returned, ${expect.pidfile} ${what}, not ${JSON.stringify(expected)}`,
    );
  },
};
