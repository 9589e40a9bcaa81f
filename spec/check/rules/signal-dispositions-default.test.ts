import { describe, test } from 'vitest';
import { signalDispositionsDefault } from '../../../src/check/rules/signal-dispositions-default.js';
import { daemon, judgeRow, NO_DAEMON, type Row } from './table.js';

// Planted: SIGPROF (27) ignored. nginx ignores SIGPIPE (13) and SIGSYS (31) itself.
const ignored = (signals: number[]) => daemon({ signals: { blocked: [], ignored: signals, caught: [] } });

const rows: Row[] = [
  { name: 'nothing ignored', given: {}, status: 'pass', findings: [] },
  { name: 'inherited: the planted signal still ignored', given: { daemon: ignored([27]) }, status: 'fail', message: /still ignored from the caller: SIGPROF/, findings: [['SIGPROF ignored', 'inherited']] },
  { name: 'chosen: nginx ignores SIGPIPE and SIGSYS', given: { daemon: ignored([13, 31]) }, status: 'pass', message: /ignores SIGPIPE, SIGSYS itself/, findings: [['SIGPIPE ignored', 'chosen'], ['SIGSYS ignored', 'chosen']] },
  { name: 'both: fails on the inherited one only', given: { daemon: ignored([13, 27]) }, status: 'fail', findings: [['SIGPROF ignored', 'inherited'], ['SIGPIPE ignored', 'chosen']] },
  { name: 'strict: chosen SIGPIPE fails', given: { daemon: ignored([13]), expect: { strict: true } }, status: 'fail', message: /SIGPIPE \(chosen by the program\)/ },
  { name: 'strict with --allow-ignored SIGPIPE passes', given: { daemon: ignored([13]), expect: { strict: true, allowIgnored: ['SIGPIPE'] } }, status: 'pass', findings: [] },
  { name: 'allowed signals are no finding at all', given: { daemon: ignored([13, 25]), expect: { allowIgnored: ['SIGPIPE', 'SIGXFSZ'] } }, status: 'pass', findings: [] },
  { name: 'no daemon', given: NO_DAEMON, status: 'skip', message: /^not judged: / },
];

describe('signal-dispositions-default', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(signalDispositionsDefault, row));
});
