import { describe, test } from 'vitest';
import { pidfileRemoved } from '../../../src/check/rules/pidfile-removed.js';
import { lifecycle, STOPPED } from './lifecycle-table.js';
import { judgeRow, NO_DAEMON, type Row } from './table.js';

const rows: Row[] = [
  { name: 'no --lifecycle', given: { expect: { pidfile: '/run/x.pid' } }, status: 'skip', message: /--lifecycle/ },
  { name: 'no pidfile', given: { ...lifecycle(), expect: {} }, status: 'skip', message: /--pidfile/ },
  { name: 'removed on SIGTERM', given: lifecycle(), status: 'pass', message: /was removed when the daemon stopped on SIGTERM/ },
  { name: 'left behind', given: lifecycle({ stop: { ...STOPPED, pidfileAfter: '702\n' } }), status: 'fail', message: /left behind after the daemon stopped on SIGTERM, holding "702\\n"/ },
  { name: 'left by the stop command', given: lifecycle({ stop: { ...STOPPED, how: 'stop-command', stopCommand: 'x stop', pidfileAfter: '702\n' } }), status: 'fail', message: /stopped on the stop command/ },
  { name: 'the daemon did not stop', given: lifecycle({ stop: { ...STOPPED, survivors: [702], pidfileAfter: '702\n' } }), status: 'skip', message: /did not stop \(see stops-on-sigterm\)/ },
  { name: 'no daemon', given: lifecycle({ stop: null }, NO_DAEMON), status: 'skip', message: /^not judged: no daemon found/ },
];

describe('pidfile-removed', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(pidfileRemoved, row));
});
