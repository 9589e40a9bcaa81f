import { describe, test } from 'vitest';
import { reparented } from '../../../src/check/rules/reparented.js';
import { CHECKER_PID, daemon, judgeRow, LAUNCHER_PID, NO_DAEMON, type Row } from './table.js';

const rows: Row[] = [
  { name: 'adopted by init', given: {}, status: 'pass', message: /adopted by pid 1/ },
  { name: 'adopted by the checker (subreaper)', given: { daemon: daemon({ ppid: CHECKER_PID }) }, status: 'pass' },
  { name: 'still the launcher shell’s job', given: { daemon: daemon({ ppid: LAUNCHER_PID }) }, status: 'fail', message: /launcher shell/ },
  { name: 'parented by a live intermediate', given: { daemon: daemon({ ppid: 650 }) }, status: 'fail', message: /pid 650, which is still running/ },
  { name: 'no daemon', given: NO_DAEMON, status: 'skip', message: /^not judged: no daemon found/ },
];

describe('reparented', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(reparented, row));
});
