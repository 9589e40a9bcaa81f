import { describe, test } from 'vitest';
import { notSessionLeader } from '../../../src/check/rules/not-session-leader.js';
import { daemon, judgeRow, NO_DAEMON, type Row } from './table.js';

const rows: Row[] = [
  { name: 'second fork: the session is led by another process', given: {}, status: 'pass' },
  { name: 'single fork: leads its own session', given: { daemon: daemon({ pid: 701, sid: 701, pgid: 701 }) }, status: 'fail', message: /leads its own session 701/ },
  { name: 'no daemon', given: NO_DAEMON, status: 'skip', message: /^not judged: / },
];

describe('not-session-leader', () => {
  test.for(rows)('$name → $status', (row) => judgeRow(notSessionLeader, row));
});
