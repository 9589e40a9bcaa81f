import { describe, test } from 'vitest';
import { launcherExit } from '../../../src/check/rules/launcher-exit.js';
import { judgeRow, NO_DAEMON, type Row } from './table.js';

const rows: Row[] = [
  { name: 'exit 0', given: {}, status: 'pass' },
  { name: 'exit 1', given: { launcher: { exitCode: 1 } }, status: 'fail', message: /exited with status 1/ },
  { name: 'killed by a signal', given: { launcher: { exitCode: null, signal: 'SIGSEGV' } }, status: 'fail', message: /was killed by SIGSEGV/ },
  { name: 'never returned', given: { launcher: { exitCode: null, timedOut: true } }, status: 'fail', message: /did not return within the timeout/ },
  {
    name: 'the command took its launching shell down (killed its parent\'s group, vhangup)',
    given: { launcher: { exitCode: null, shellEnded: 'was killed by SIGHUP' } },
    status: 'fail',
    message: /took down its launching shell \(it was killed by SIGHUP\)/,
  },
  { name: 'judged without a daemon too (exit 1, nothing left)', given: { ...NO_DAEMON, launcher: { exitCode: 1 } }, status: 'fail' },
];

describe('launcher-exit', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(launcherExit, row));
});
