import type { StaleCase } from '../lifecycle/observations.js';
import { lastLinesNote, startSummary } from './lifecycle-text.js';
import { noDaemon, type Rule, skip } from './rule.js';

const CASE_NAME: Record<StaleCase['kind'], string> = {
  killed: 'the pidfile of a SIGKILLed daemon',
  empty: 'a 0-byte pidfile',
};

function recovered(c: StaleCase): boolean {
  return !c.start.timedOut && c.start.exitCode === 0 && c.newDaemon !== null;
}

function caseLine(c: StaleCase): string {
  const setup = c.setupNote === null ? '' : ` (${c.setupNote})`;
  if (recovered(c)) return `with ${CASE_NAME[c.kind]}${setup}, the command started daemon ${c.newDaemon}`;
  const daemon = c.newDaemon === null ? `, and the pidfile (${JSON.stringify(c.pidfileAfter)}) names no process it started` : '';
  return `with ${CASE_NAME[c.kind]} ${JSON.stringify(c.pidfileBefore)}${setup}, the command ${startSummary(c.start)}${daemon}${lastLinesNote(c.start)}`;
}

export const stalePidfileRecovered: Rule = {
  id: 'stale-pidfile-recovered',
  title: 'A stale pidfile (a killed daemon\'s, or 0 bytes) does not block the next start',
  reference:
    'After a crash, an OOM kill or a power loss the pidfile stays; a start that trusts it refuses forever ' +
    '(busybox start-stop-daemon, OpenIPC/firmware#2324), and one that chokes on a 0-byte file left by a crash ' +
    'mid-write never starts again (getpaseo/paseo#4803). The checker SIGKILLs a fresh daemon, starts the ' +
    'command again, then does the same with a 0-byte pidfile: each start must exit 0 with the pidfile naming ' +
    'the new daemon.',
  fix: 'Decide whether the daemon runs by the pidfile\'s lock (flock), not by its existence or content; replace a stale or empty pidfile.',
  judge(context) {
    const { daemon, lifecycle } = context;
    if (lifecycle === undefined) return skip('the life-cycle was not checked (--lifecycle)');
    if (context.expect.pidfile === undefined) return skip('no pidfile given (--pidfile)');
    if (!daemon) return noDaemon(context);
    const stale = lifecycle.stale;
    if (stale === null) return skip(`not judged: ${lifecycle.notRun}`);
    if (stale.notJudged !== null) return skip(`not judged: ${stale.notJudged}`);
    const expected = stale.cases.map((c) => ({ case: c.kind, exit: 0, newDaemon: 'named by the pidfile' }));
    const actual = stale.cases.map((c) => ({ case: c.kind, exit: startSummary(c.start), newDaemon: c.newDaemon }));
    const failed = stale.cases.filter((c) => !recovered(c));
    const message = (failed.length > 0 ? failed : stale.cases).map(caseLine).join('\n');
    return { status: failed.length === 0 ? 'pass' : 'fail', expected, actual, message };
  },
};
