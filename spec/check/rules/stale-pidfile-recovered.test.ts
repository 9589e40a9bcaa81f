import { describe, test } from 'vitest';
import { stalePidfileRecovered } from '../../../src/check/rules/stale-pidfile-recovered.js';
import { lifecycle, REFUSED, staleCase } from './lifecycle-table.js';
import { judgeRow, NO_DAEMON, type Row } from './table.js';

const stale = (killed = staleCase('killed'), empty = staleCase('empty')) => ({ stale: { notJudged: null, cases: [killed, empty] } });

const rows: Row[] = [
  { name: 'no --lifecycle', given: { expect: { pidfile: '/run/x.pid' } }, status: 'skip', message: /--lifecycle/ },
  { name: 'both recovered', given: lifecycle(), status: 'pass', message: /SIGKILLed daemon, the command started daemon 810\nwith a 0-byte pidfile, the command started daemon 811/ },
  { name: 'trusts the stale pidfile', given: lifecycle(stale(staleCase('killed', { start: REFUSED, newDaemon: null, pidfileAfter: '702\n' }))), status: 'fail', message: /^with the pidfile of a SIGKILLed daemon "702\\n", the command exited 1.*names no process it started\nits last output: x: already running$/ },
  { name: 'refuses a 0-byte pidfile', given: lifecycle(stale(undefined, staleCase('empty', { start: REFUSED, newDaemon: null, pidfileAfter: '' }))), status: 'fail', message: /^with a 0-byte pidfile "", the command exited 1/ },
  { name: 'exits 0 but starts nothing', given: lifecycle(stale(undefined, staleCase('empty', { newDaemon: null, pidfileAfter: '' }))), status: 'fail', message: /exited 0, and the pidfile \(""\) names no process it started/ },
  { name: 'the setup note is shown', given: lifecycle(stale(staleCase('killed', { setupNote: 'the pidfile did not survive the SIGKILL', start: REFUSED, newDaemon: null }))), status: 'fail', message: /\(the pidfile did not survive the SIGKILL\)/ },
  { name: 'nothing to kill', given: lifecycle({ stale: { notJudged: 'started again with no pidfile, the command failed, so there was no daemon to kill', cases: [] } }), status: 'skip', message: /^not judged: started again/ },
  { name: 'no daemon', given: lifecycle({ stale: null }, NO_DAEMON), status: 'skip', message: /^not judged: no daemon found/ },
];

describe('stale-pidfile-recovered', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(stalePidfileRecovered, row));
});
