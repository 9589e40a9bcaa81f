import { describe, test } from 'vitest';
import { stopsOnSigterm } from '../../../src/check/rules/stops-on-sigterm.js';
import { lifecycle, STOPPED } from './lifecycle-table.js';
import { judgeRow, NO_DAEMON, type Row } from './table.js';

const command = { ...STOPPED, how: 'stop-command' as const, stopCommand: 'x stop', stopCommandExit: 0 };

const rows: Row[] = [
  { name: 'no --lifecycle', given: {}, status: 'skip', message: /--lifecycle/ },
  { name: 'SIGTERM ends the daemon and its worker', given: lifecycle(), status: 'pass', message: /^SIGTERM ended the daemon and the 1 process it had started within 5 s$/ },
  { name: 'the daemon alone', given: lifecycle({ stop: { ...STOPPED, targets: [702] } }), status: 'pass', message: /^SIGTERM ended the daemon within 5 s$/ },
  { name: 'the daemon ignores SIGTERM', given: lifecycle({ stop: { ...STOPPED, survivors: [702, 703] } }), status: 'fail', message: /5 s after SIGTERM, the daemon \(pid 702\) still ran/ },
  { name: 'a worker outlives the daemon', given: lifecycle({ stop: { ...STOPPED, survivors: [703] } }), status: 'fail', message: /the daemon ended but pid 703 it started still ran/ },
  { name: 'the stop command works', given: lifecycle({ stop: command }), status: 'pass', message: /^the stop command `x stop` ended the daemon/ },
  { name: 'the stop command fails, though the daemon ended', given: lifecycle({ stop: { ...command, stopCommandExit: 3, stopCommandOutput: ['x: no such daemon'] } }), status: 'fail', message: /exited 3, though the daemon ended\nits output: x: no such daemon/ },
  { name: 'the stop command hangs past the deadline', given: lifecycle({ stop: { ...command, stopCommandExit: null } }), status: 'fail', message: /killed at the deadline/ },
  { name: 'the daemon ended before the stop', given: lifecycle({ stop: null, notRun: 'the daemon (pid 702) had already ended before the stop (see second-start-refused)' }), status: 'skip', message: /^not judged: the daemon \(pid 702\) had already ended/ },
  { name: 'no daemon', given: lifecycle({ stop: null }, NO_DAEMON), status: 'skip', message: /^not judged: no daemon found/ },
];

describe('stops-on-sigterm', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(stopsOnSigterm, row));
});
