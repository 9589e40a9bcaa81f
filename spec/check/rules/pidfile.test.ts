import { describe, test } from 'vitest';
import { pidfile } from '../../../src/check/rules/pidfile.js';
import { judgeRow, NO_DAEMON, type Row } from './table.js';

const PIDFILE = '/run/x.pid';
const given = (content: string | null, more: object = {}) => ({ expect: { pidfile: PIDFILE }, pidfileContent: content, ...more });

const rows: Row[] = [
  { name: 'no pidfile given', given: {}, status: 'skip', message: /--pidfile/ },
  { name: 'holds the pid and a newline', given: given('702\n'), status: 'pass', message: /holds 702$/ },
  { name: 'no newline', given: given('702'), status: 'fail', message: /holds "702", not "702\\n"/ },
  { name: 'another pid (the intermediate)', given: given('701\n'), status: 'fail' },
  { name: 'never appeared', given: given(null), status: 'fail', message: /never appeared/ },
  { name: 'a symbolic link', given: given('702\n', { pidfileIsSymlink: true }), status: 'fail', message: /symbolic link/ },
  { name: 'right, but late: says so and leaves it to ready-before-exit', given: given('702\n', { pidfileAtExit: { pid: null, alive: false } }), status: 'pass', message: /see ready-before-exit/ },
  { name: 'no daemon', given: { ...given(null), ...NO_DAEMON }, status: 'skip', message: /^not judged: / },
];

describe('pidfile', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(pidfile, row));
});
