import { describe, test } from 'vitest';
import { signalMaskEmpty } from '../../../src/check/rules/signal-mask-empty.js';
import { daemon, judgeRow, NO_DAEMON, type Row } from './table.js';

// Planted: SIGVTALRM (26) blocked. SIGTERM 15, SIGCHLD 17: what a signalfd daemon blocks itself.
const blocked = (signals: number[]) => daemon({ signals: { blocked: signals, ignored: [], caught: [] } });

const rows: Row[] = [
  { name: 'nothing blocked', given: {}, status: 'pass', findings: [] },
  { name: 'inherited: the planted signal still blocked', given: { daemon: blocked([26]) }, status: 'fail', message: /still blocked from the caller: SIGVTALRM/, findings: [['SIGVTALRM blocked', 'inherited']] },
  { name: 'chosen: a signalfd daemon blocks SIGTERM and SIGCHLD', given: { daemon: blocked([15, 17]) }, status: 'pass', message: /blocks SIGTERM, SIGCHLD itself/, findings: [['SIGTERM blocked', 'chosen'], ['SIGCHLD blocked', 'chosen']] },
  { name: 'both: fails on the inherited one, notes the chosen', given: { daemon: blocked([15, 26]) }, status: 'fail', findings: [['SIGVTALRM blocked', 'inherited'], ['SIGTERM blocked', 'chosen']] },
  { name: 'strict: chosen fails too', given: { daemon: blocked([15]), expect: { strict: true } }, status: 'fail', message: /SIGTERM \(chosen by the program\)/ },
  { name: 'empty mask without the trap set (no bash) proves nothing', given: { launcher: { maskTrapSet: false } }, status: 'skip', message: /could not set/ },
  { name: 'without the trap set, anything blocked is chosen', given: { daemon: blocked([26]), launcher: { maskTrapSet: false } }, status: 'pass', findings: [['SIGVTALRM blocked', 'chosen']] },
  { name: 'not observable (macOS)', given: { daemon: daemon({ signals: { blocked: null, ignored: [], caught: [] }, unknown: { blocked: 'per thread' } }) }, status: 'skip', message: /per thread/ },
  { name: 'no daemon', given: NO_DAEMON, status: 'skip', message: /^not judged: / },
];

describe('signal-mask-empty', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(signalMaskEmpty, row));
});
