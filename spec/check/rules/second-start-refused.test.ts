import { describe, test } from 'vitest';
import { secondStartRefused } from '../../../src/check/rules/second-start-refused.js';
import { lifecycle, REFUSED } from './lifecycle-table.js';
import { judgeRow, NO_DAEMON, type Row } from './table.js';

const second = (changes: object) => ({ start: REFUSED, firstAlive: true, pidfileBefore: '702\n', pidfileAfter: '702\n', secondDaemons: [], ...changes });

const rows: Row[] = [
  { name: 'no --lifecycle', given: {}, status: 'skip', message: /--lifecycle/ },
  { name: 'refused: exit 1, first runs on, pidfile unchanged', given: lifecycle(), status: 'pass', message: /exited 1; the first daemon runs on/ },
  { name: 'exit 0 though nothing new runs', given: lifecycle({ secondStart: second({ start: { ...REFUSED, exitCode: 0 } }) }), status: 'fail', message: /^the second command exited 0/ },
  { name: 'a second daemon left', given: lifecycle({ secondStart: second({ secondDaemons: [900] }) }), status: 'fail', message: /a second daemon was left running \(pid 900\)/ },
  { name: 'the pidfile overwritten', given: lifecycle({ secondStart: second({ pidfileAfter: '900\n' }) }), status: 'fail', message: /pidfile changed from "702\\n" to "900\\n"/ },
  { name: 'the first daemon killed by the second start', given: lifecycle({ secondStart: second({ firstAlive: false }) }), status: 'fail', message: /first daemon \(pid 702\) no longer runs/ },
  { name: 'the second command never returned', given: lifecycle({ secondStart: second({ start: { ...REFUSED, exitCode: null, timedOut: true } }) }), status: 'fail', message: /did not return/ },
  { name: 'its last words are shown', given: lifecycle({ secondStart: second({ start: { ...REFUSED, exitCode: 0 } }) }), status: 'fail', message: /its last output: x: already running/ },
  { name: 'no daemon', given: lifecycle({ secondStart: null }, NO_DAEMON), status: 'skip', message: /^not judged: no daemon found/ },
];

describe('second-start-refused', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(secondStartRefused, row));
});
