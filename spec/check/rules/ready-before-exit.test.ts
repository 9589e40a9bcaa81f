import { describe, test } from 'vitest';
import { readyBeforeExit } from '../../../src/check/rules/ready-before-exit.js';
import { judgeRow, NO_DAEMON, type Row } from './table.js';

const rows: Row[] = [
  { name: 'no readiness evidence given', given: {}, status: 'skip', message: /--ready-log or --pidfile/ },
  { name: 'ready line present at exit', given: { expect: { readyLog: 'ready' }, launcher: { readyAtExit: true } }, status: 'pass', message: /matching \/ready\// },
  { name: 'pidfile absent at exit', given: { expect: { pidfile: '/run/x.pid' }, launcher: { readyAtExit: false } }, status: 'fail', message: /exited before the pidfile/ },
  { name: 'never exited', given: { expect: { pidfile: '/run/x.pid' }, launcher: { timedOut: true, readyAtExit: null } }, status: 'fail', message: /never exited/ },
  { name: 'judged without a daemon too', given: { ...NO_DAEMON, expect: { readyLog: 'ready' }, launcher: { readyAtExit: false } }, status: 'fail' },
];

describe('ready-before-exit', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(readyBeforeExit, row));
});
