import { describe, test } from 'vitest';
import { newSession } from '../../../src/check/rules/new-session.js';
import { daemon, judgeRow, LAUNCHER_PID, NO_DAEMON, type Row } from './table.js';

const rows: Row[] = [
  { name: 'a session of its own', given: {}, status: 'pass' },
  { name: 'still in the launcher’s session', given: { daemon: daemon({ sid: LAUNCHER_PID }) }, status: 'fail', message: /still in the launcher's session 500/ },
  { name: 'no daemon', given: NO_DAEMON, status: 'skip', message: /^not judged: / },
];

describe('new-session', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(newSession, row));
});
