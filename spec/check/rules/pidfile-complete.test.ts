import { describe, test } from 'vitest';
import { pidfileComplete } from '../../../src/check/rules/pidfile-complete.js';
import { lifecycle } from './lifecycle-table.js';
import { judgeRow, NO_DAEMON, type Row } from './table.js';

const rows: Row[] = [
  { name: 'no --lifecycle', given: { expect: { pidfile: '/run/x.pid' } }, status: 'skip', message: /--lifecycle/ },
  { name: 'no pidfile', given: { ...lifecycle(), expect: {} }, status: 'skip', message: /--pidfile/ },
  { name: 'the whole pid and newline', given: lifecycle(), status: 'pass', message: /held 702 and a newline when the command returned/ },
  { name: 'no newline yet', given: lifecycle({ pidfileAtExit: '702' }), status: 'fail', message: /held "702", not "702\\n"/ },
  { name: 'half a pid', given: lifecycle({ pidfileAtExit: '70' }), status: 'fail', message: /held "70"/ },
  { name: '0 bytes', given: lifecycle({ pidfileAtExit: '' }), status: 'fail', message: /was empty \(0 bytes\)/ },
  { name: 'not there yet', given: lifecycle({ pidfileAtExit: null }), status: 'fail', message: /did not exist/ },
  { name: 'the intermediate pid', given: lifecycle({ pidfileAtExit: '701\n' }), status: 'fail', message: /held "701\\n"/ },
  { name: 'the command never returned', given: lifecycle({ pidfileAtExit: undefined }), status: 'skip', message: /did not return/ },
  { name: 'no daemon', given: lifecycle({}, NO_DAEMON), status: 'skip', message: /^not judged: no daemon found/ },
];

describe('pidfile-complete', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(pidfileComplete, row));
});
