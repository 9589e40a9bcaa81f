import { type Rule, verdict } from './rule.js';

export const launcherExit: Rule = {
  id: 'launcher-exit',
  title: 'The command returns, with status 0',
  reference:
    'A daemonizing command gives the shell back: its original process exits once the daemon runs, with a status ' +
    "that says whether start-up worked (systemd daemon(7), SysV daemons, last step; step 1 of the seed, Crispim 2013).",
  fix: 'Fork, let the parent exit (after the daemon reports ready), and exit 0 only on success.',
  judge({ launcher }) {
    if (launcher.timedOut) {
      return {
        status: 'fail',
        expected: { exitCode: 0 },
        actual: { exitCode: null, timedOut: true },
        message: 'the command did not return within the timeout (it never daemonized); it was killed',
      };
    }
    if (launcher.shellEnded !== undefined) {
      return {
        status: 'fail',
        expected: { exitCode: 0 },
        actual: { exitCode: null, shellEnded: launcher.shellEnded },
        message:
          `the command took down its launching shell (it ${launcher.shellEnded}) before returning: ` +
          "it killed its parent's process group or hung up its terminal",
      };
    }
    const actual = { exitCode: launcher.exitCode, signal: launcher.signal };
    const how = launcher.signal ? `was killed by ${launcher.signal}` : `exited with status ${launcher.exitCode}`;
    return verdict(launcher.exitCode === 0, { exitCode: 0, signal: null }, actual, 'the original process exited 0', `the original process ${how}`);
  },
};
