import { lastLinesNote, startSummary } from './lifecycle-text.js';
import { noDaemon, type Rule, skip } from './rule.js';

export const secondStartRefused: Rule = {
  id: 'second-start-refused',
  title: 'A second start while the daemon runs is refused',
  reference:
    'Starting a service that already runs must not run a second copy (LSB init actions: "start" of a running ' +
    'service succeeds without starting another; the pidfile lock of systemd daemon(7), SysV daemons, step 12). ' +
    'This rule asks for the stricter, scriptable answer: the second command exits non-zero, the first daemon ' +
    'runs on with its pidfile unchanged, and no second daemon is left.',
  fix: 'Lock the pidfile (flock/fcntl) for the daemon\'s whole life before writing it; when the lock is held, exit non-zero without touching the file.',
  judge(context) {
    const { daemon, lifecycle } = context;
    if (lifecycle === undefined) return skip('the life-cycle was not checked (--lifecycle)');
    if (!daemon) return noDaemon(context);
    const second = lifecycle.secondStart;
    if (second === null) return skip(`not judged: ${lifecycle.notRun}`);
    const problems: string[] = [];
    const { start } = second;
    if (start.timedOut) problems.push('the second command did not return');
    else if (start.exitCode === 0) problems.push('the second command exited 0');
    if (!second.firstAlive) problems.push(`the first daemon (pid ${daemon.pid}) no longer runs`);
    if (second.pidfileAfter !== second.pidfileBefore) {
      problems.push(`the pidfile changed from ${JSON.stringify(second.pidfileBefore)} to ${JSON.stringify(second.pidfileAfter)}`);
    }
    if (second.secondDaemons.length > 0) problems.push(`a second daemon was left running (pid ${second.secondDaemons.join(', ')})`);
    const expected = { exit: 'non-zero', firstAlive: true, pidfile: second.pidfileBefore, secondDaemons: [] };
    const actual = { exit: startSummary(start), firstAlive: second.firstAlive, pidfile: second.pidfileAfter, secondDaemons: second.secondDaemons };
    if (problems.length === 0) {
      return { status: 'pass', expected, actual, message: `the second start ${startSummary(start)}; the first daemon runs on, its pidfile unchanged` };
    }
    return { status: 'fail', expected, actual, message: `${problems.join('; ')}${lastLinesNote(start)}` };
  },
};
