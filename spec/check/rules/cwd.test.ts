import { describe, test } from 'vitest';
import { cwd } from '../../../src/check/rules/cwd.js';
import { CALLER, daemon, judgeRow, NO_DAEMON, type Row } from './table.js';

const rows: Row[] = [
  { name: 'the profile’s /', given: {}, status: 'pass', findings: [] },
  { name: 'inherited: still in the planted directory', given: { daemon: daemon({ cwd: CALLER.cwd }) }, status: 'fail', message: /is the caller's/, findings: [[`cwd ${CALLER.cwd}`, 'inherited']] },
  { name: 'chosen: its own state directory is a note', given: { daemon: daemon({ cwd: '/var/lib/x' }) }, status: 'pass', message: /chosen by the program/, findings: [['cwd /var/lib/x', 'chosen']] },
  { name: 'exact (user’s --cwd /): chosen /var/lib/x fails', given: { daemon: daemon({ cwd: '/var/lib/x' }), expect: { exact: ['cwd'] } }, status: 'fail', message: /\/var\/lib\/x, expected \//, findings: [['cwd /var/lib/x', 'chosen']] },
  { name: 'exact: inherited fails and says so', given: { daemon: daemon({ cwd: CALLER.cwd }), expect: { exact: ['cwd'] } }, status: 'fail', message: /caller's.*expected \//, findings: [[`cwd ${CALLER.cwd}`, 'inherited']] },
  { name: 'strict: chosen fails', given: { daemon: daemon({ cwd: '/var/lib/x' }), expect: { strict: true } }, status: 'fail' },
  { name: 'no expected directory', given: { expect: { cwd: undefined } }, status: 'skip', message: /--cwd/ },
  { name: 'not observable', given: { daemon: daemon({ cwd: null, unknown: { cwd: 'EACCES' } }) }, status: 'skip', message: /EACCES/ },
  { name: 'no daemon', given: NO_DAEMON, status: 'skip', message: /^not judged: / },
];

describe('cwd', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(cwd, row));
});
